/// One message between the dev server's front process and its runner process.
///
/// On the wire: one kind byte, a big-endian `UInt32` stream id, a big-endian `UInt32` payload
/// length, the payload (``FrameDecoder`` reads them back). A request and its answer carry the same
/// stream id, so many requests can be in flight on one connection and be answered in any order.
/// Stream ``Frame/unsolicited`` carries frames that answer nothing (``Kind/hello``, ``Kind/stuck``).
public struct Frame: Sendable, Equatable {
    /// What a frame carries.
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// Front → runner: an HTTP request to handle (``WireCodec`` request encoding).
        case request = 0x51
        /// Front → runner: a request the front refused before reading its body, for the app to
        /// answer as an error (``RefusedRequest``); answered like a request.
        case refused = 0x52
        /// Runner → front: the response to a request (``WireCodec`` response encoding).
        case response = 0x41
        /// Front → runner: load a generation (JSON ``LoadCommand``).
        case load = 0x4C
        /// Runner → front: the outcome of a load (JSON ``LoadReply``).
        case loaded = 0x6C
        /// Front → runner: list the state registry and the reloaded images' globals.
        case state = 0x53
        /// Runner → front: the registry's entries and the globals (JSON ``StateListing``).
        case stateList = 0x73
        /// Runner → front, instead of a response: the handler did not answer within the
        /// request timeout and was cancelled (JSON ``RequestTimedOut``).
        case timedOut = 0x74
        /// Runner → front, instead of a response: the head and first bytes of a streamed
        /// response (``WireCodec`` response encoding); ``chunk`` frames and one ``streamEnd``
        /// follow on the same stream.
        case streamStart = 0x42
        /// Runner → front: the next piece of a streamed body (raw bytes). The runner sends at
        /// most ``CreditWindows/window`` bytes more than the front has granted back.
        case chunk = 0x43
        /// Runner → front: a streamed body is complete, or failed after its first bytes (JSON
        /// ``StreamEnd``).
        case streamEnd = 0x45
        /// Front → runner: the front has passed on this many bytes of a streamed body, so the
        /// runner may send as many more (JSON ``StreamCredit``). On a socket's stream it goes
        /// either way: the sender of the socket's messages may send as many more.
        case credit = 0x63
        /// Front → runner: nobody reads this streamed body any more (the client went away); the
        /// runner stops producing it. Empty payload.
        case cancel = 0x78
        /// Front → runner: a browser asks to open a WebSocket (``WireCodec`` request encoding).
        /// Answered by ``socketOpened``, or by a ``response`` that refuses it.
        case socketOpen = 0x57
        /// Runner → front: the socket is open; ``socketMessage``, ``credit`` and one
        /// ``socketClose`` frame follow on its stream, in both directions.
        case socketOpened = 0x77
        /// Either way, on an open socket's stream: one WebSocket message (``SocketMessage``
        /// wire encoding). Each side sends at most ``CreditWindows/window`` bytes more than the
        /// other has granted back with ``credit`` frames as it handled or passed them on.
        case socketMessage = 0x4D
        /// Either way: the socket ended, with its close code (JSON ``SocketClosing``).
        case socketClose = 0x4B
        /// Runner → front, first frame on a connection: the runner is ready (JSON ``RunnerHello``).
        case hello = 0x48
        /// Runner → front, just before the runner exits with
        /// ``RunnerProtocol/stuckHandlerExitStatus``: why (JSON ``StuckHandler``).
        case stuck = 0x58
    }

    /// The stream id of frames that answer no request.
    public static let unsolicited: UInt32 = 0

    /// The size of a frame's header on the wire: kind, stream id, payload length.
    public static let headerSize = 9

    /// The largest payload accepted from a peer (256 MiB).
    public static let maxPayload = 256 << 20

    /// The kind.
    public var kind: Kind
    /// The request this frame belongs to; ``unsolicited`` for none.
    public var stream: UInt32
    /// The payload.
    public var payload: [UInt8]

    /// Creates a frame.
    public init(_ kind: Kind, stream: UInt32 = Frame.unsolicited, _ payload: [UInt8] = []) {
        self.kind = kind
        self.stream = stream
        self.payload = payload
    }

    /// Creates a frame whose payload is `value` encoded as JSON.
    public init<T: Encodable>(_ kind: Kind, stream: UInt32 = Frame.unsolicited, json value: T) {
        self.init(kind, stream: stream, WireCodec.json(value))
    }

    /// Decodes the payload as JSON; throws ``WireError/malformed(_:)`` when it is not a `T`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try WireCodec.decodeJSON(type, payload)
    }

    /// The frame's bytes on the wire: header, then payload.
    public var bytes: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.headerSize + payload.count)
        bytes.append(kind.rawValue)
        WireCodec.appendUInt32(stream, to: &bytes)
        WireCodec.appendUInt32(UInt32(payload.count), to: &bytes)
        bytes += payload
        return bytes
    }
}
