import Foundation

/// A channel: the handlers for the topics matching one pattern, declared in ``defineApp`` with
/// ``channel(_:receiving:join:message:leave:)``.
struct ChannelDefinition: Sendable {
    let pattern: TopicPattern
    let join: @Sendable (ChannelEvent) async throws -> Void
    /// Decodes the frame's `data` as the channel's message type and runs its handler.
    let message: @Sendable (ChannelEvent, _ frame: [UInt8]) async throws -> Void
    let leave: @Sendable (ChannelEvent) async -> Void
}

/// Declares a channel: browsers join topics that match `pattern` (`"room:*"`, or an exact topic)
/// over the app's socket, send it messages of type `Message`, and get what is broadcast to the
/// topics they joined (see ``broadcast(_:_:)``).
///
/// - `join` runs when a socket asks to join a topic; it refuses by throwing (a ``ChannelRefusal``
///   says why to the browser; other errors refuse with "join refused"). It may check the session
///   of the request that opened the socket: ``requestInfo`` is that request's information.
/// - `message` runs for each message a joined socket sends to the topic, decoded as `Message`
///   (one that does not decode is answered with an `error` frame and the socket stays open).
/// - `leave` runs when the socket leaves the topic or closes.
///
/// Each event looks its handler up in the app that is current when the event arrives, never in
/// the one that accepted the socket: under `rw dev`, the next message after a save runs the new
/// code, and the socket, its topics and their state (``ChannelEvent/state(as:)``) stay.
///
/// ```swift
/// channel("room:*", receiving: ChatLine.self,
///     join: { event in
///         guard requestInfo.session["user"] != nil else { throw ChannelRefusal("sign in first") }
///     },
///     message: { event, line in broadcast(event.topic, line) })
/// ```
public func channel<Message: Decodable & Sendable>(
    _ pattern: String,
    receiving _: Message.Type = Message.self,
    join: @escaping @Sendable (ChannelEvent) async throws -> Void = { _ in },
    message: @escaping @Sendable (ChannelEvent, Message) async throws -> Void,
    leave: @escaping @Sendable (ChannelEvent) async -> Void = { _ in }
) -> AppEntry {
    let definition = ChannelDefinition(
        pattern: TopicPattern(pattern),
        join: join,
        message: { event, frame in
            let body: ChannelFrame.Body<Message>
            do {
                body = try JSONDecoder().decode(ChannelFrame.Body<Message>.self, from: Data(frame))
            } catch {
                throw ChannelFrameError("the message's data is not a \(Message.self)")
            }
            try await message(event, body.data)
        },
        leave: leave
    )
    return AppEntry([.channel(definition)])
}

/// What a channel handler gets: the topic, the socket, and the state the channel keeps for this
/// socket in this topic. The request that opened the socket is ``requestInfo`` in the handler.
public struct ChannelEvent: Sendable {
    /// The topic (`"room:lobby"`).
    public let topic: String
    /// What the pattern's `*` matched (`"lobby"` for `"room:*"`); `""` for an exact pattern.
    public let subtopic: String
    let peer: SocketPeer

    /// The socket's id, unique in the process (the same across reloads).
    public var socketID: UInt64 { peer.id }

    /// The state this channel keeps for this socket in this topic, decoded as `T`; `nil` when
    /// none was set or it does not decode as `T`. It is stored encoded in the state module, so it
    /// survives reloads and is read by the new generation's code as its own type.
    public func state<T: Decodable>(as type: T.Type = T.self) -> T? {
        guard let bytes = peer.stateBytes(of: topic), !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(bytes))
    }

    /// Replaces the state kept for this socket in this topic (see ``state(as:)``); a state set in
    /// `join` is kept once the join succeeds.
    public func setState(_ value: some Encodable) throws {
        peer.setStateBytes(Array(try sharedJSONEncoder.encode(value)), of: topic)
    }

    /// Sends `message` to this socket only, as a message of this topic; `false` when the socket
    /// is closing (or was closed for being slow).
    @discardableResult
    public func reply(_ message: some Encodable & Sendable) throws -> Bool {
        peer.send(try ChannelFrame.text(ChannelFrame.Outgoing(topic: topic, data: message)))
    }
}

/// Thrown by a channel's `join` handler to refuse the join; `reason` is sent to the browser.
public struct ChannelRefusal: Error, Sendable, CustomStringConvertible {
    /// Why the join was refused, as the browser is told.
    public let reason: String
    /// A refusal saying `reason`.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "join refused: \(reason)" }
}

/// A frame the channel protocol could not take; answered with an `error` frame.
struct ChannelFrameError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
