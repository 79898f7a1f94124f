import Foundation

/// The channel protocol's frames: JSON text messages on the socket at ``App/socketPath``.
///
/// From the browser: `{"type":"join","topic":"room:lobby","ref":1}`,
/// `{"type":"message","topic":"room:lobby","data":…}` and `{"type":"leave","topic":"room:lobby"}`.
/// From the server: `joined` and `refused` (with the join's `ref`, a refusal with its `reason`),
/// `message` (a broadcast or a reply, with its `data`) and `error` (a frame the server could not
/// take, with its `reason`; the socket stays open).
enum ChannelFrame {
    /// The parts of an incoming frame every kind has; `data` is decoded by the channel, as its
    /// own message type.
    struct Head: Decodable {
        enum Kind: String, Decodable { case join, message, leave }
        let type: Kind
        let topic: String
        let ref: Int?
    }

    /// An incoming message's `data`, as the channel's message type.
    struct Body<Message: Decodable>: Decodable {
        let data: Message
    }

    /// A message to a subscriber.
    struct Outgoing<Message: Encodable>: Encodable {
        let type = "message"
        let topic: String
        let data: Message
    }

    /// The answer to a `join`, or an `error`.
    struct Reply: Encodable {
        let type: String
        let topic: String?
        let ref: Int?
        let reason: String?

        static func joined(_ topic: String, ref: Int?) -> Reply { Reply(type: "joined", topic: topic, ref: ref, reason: nil) }
        static func refused(_ topic: String, ref: Int?, reason: String) -> Reply { Reply(type: "refused", topic: topic, ref: ref, reason: reason) }
        static func left(_ topic: String) -> Reply { Reply(type: "left", topic: topic, ref: nil, reason: nil) }
        static func error(_ topic: String?, reason: String) -> Reply { Reply(type: "error", topic: topic, ref: nil, reason: reason) }
    }

    /// `frame` as a text message.
    static func text(_ frame: some Encodable) throws -> SocketMessage {
        .text(String(decoding: try sharedJSONEncoder.encode(frame), as: UTF8.self))
    }
}
