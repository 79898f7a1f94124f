import Foundation
import RwState

/// One message between the dev server's front process and its runner process.
///
/// On the wire: one kind byte, a big-endian `UInt32` payload length, the payload.
public struct Frame: Sendable, Equatable {
    /// What a frame carries.
    public enum Kind: UInt8, Sendable {
        /// Front → runner: an HTTP request to handle (``RwRequest`` encoding).
        case request = 0x51
        /// Runner → front: the response to a request (``RwResponse`` encoding).
        case response = 0x41
        /// Front → runner: load a generation (JSON ``LoadCommand``).
        case load = 0x4C
        /// Runner → front: the outcome of a load (JSON ``LoadResult``).
        case loaded = 0x6C
        /// Front → runner: list the state registry.
        case state = 0x53
        /// Runner → front: the registry's entries (JSON `[StateEntry]`).
        case stateList = 0x73
        /// Runner → front, instead of a response: the handler did not answer within the
        /// request timeout and was cancelled (JSON ``RequestTimedOut``).
        case timedOut = 0x74
    }

    /// The kind.
    public var kind: Kind
    /// The payload.
    public var payload: [UInt8]

    /// Creates a frame.
    public init(_ kind: Kind, _ payload: [UInt8] = []) {
        self.kind = kind
        self.payload = payload
    }

    /// Creates a frame whose payload is `value` encoded as JSON.
    public init<T: Encodable>(_ kind: Kind, json value: T) throws {
        self.init(kind, Array(try JSONEncoder().encode(value)))
    }

    /// Decodes the payload as JSON.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(payload))
    }

    /// The largest payload accepted from a peer (256 MiB).
    public static let maxPayload = 256 << 20
}

/// Fixed parts of the front ↔ runner protocol outside frames.
public enum RunnerProtocol {
    /// The line the runner prints on standard output once it accepts connections.
    public static let readyLine = "rw-runner ready"

    /// The exit status of a runner that stopped itself because a handler never returned after
    /// its request timed out and was cancelled (an infinite loop, or a wait that ignores
    /// cancellation). Its last line on standard error starts with ``messagePrefix``.
    public static let stuckHandlerExitStatus: Int32 = 86

    /// How the runner's own lines on standard error start.
    public static let messagePrefix = "rw-runner:"
}

/// The runner's answer when a handler did not answer within the request timeout.
public struct RequestTimedOut: Codable, Sendable {
    /// The request timeout in seconds.
    public var seconds: Double
    /// How long the runner then waits for the cancelled handler to return before it stops
    /// itself (so that the front restarts it), in seconds.
    public var graceSeconds: Double

    /// Creates a report.
    public init(seconds: Double, graceSeconds: Double) {
        self.seconds = seconds
        self.graceSeconds = graceSeconds
    }
}

/// Asks the runner to load one generation of app code.
public struct LoadCommand: Codable, Sendable {
    /// The generation number.
    public var generation: Int
    /// The app image to `dlopen`.
    public var appImage: String
    /// The hash of the deps image the runner must run the app image with.
    public var depsHash: String

    /// Creates a command.
    public init(generation: Int, appImage: String, depsHash: String) {
        self.generation = generation
        self.appImage = appImage
        self.depsHash = depsHash
    }
}

/// The runner's answer to a ``LoadCommand``.
public struct LoadResult: Codable, Sendable {
    /// Whether the generation is now serving.
    public var ok: Bool
    /// Why loading failed, when it did.
    public var error: String?
    /// Milliseconds spent in `dlopen` and the entry point.
    public var loadMilliseconds: Double

    /// Creates a result.
    public init(ok: Bool, error: String? = nil, loadMilliseconds: Double) {
        self.ok = ok
        self.error = error
        self.loadMilliseconds = loadMilliseconds
    }
}

/// Byte encodings of requests and responses: a JSON head, then the raw body.
public enum WireCodec {
    private struct RequestHead: Codable {
        var method: String
        var target: String
        var headers: [[String]]
    }

    private struct ResponseHead: Codable {
        var status: Int
        var headers: [[String]]
    }

    /// Encodes a request.
    public static func encode(_ request: RwRequest) throws -> [UInt8] {
        let head = RequestHead(method: request.method, target: request.target, headers: request.headers.map { [$0.name, $0.value] })
        return try join(head, request.body)
    }

    /// Decodes a request.
    public static func decodeRequest(_ bytes: [UInt8]) throws -> RwRequest {
        let (head, body) = try split(RequestHead.self, bytes)
        return RwRequest(method: head.method, target: head.target, headers: headers(head.headers), body: body)
    }

    /// Encodes a response.
    public static func encode(_ response: RwResponse) throws -> [UInt8] {
        try join(ResponseHead(status: response.status, headers: response.headers.map { [$0.name, $0.value] }), response.body)
    }

    /// Decodes a response.
    public static func decodeResponse(_ bytes: [UInt8]) throws -> RwResponse {
        let (head, body) = try split(ResponseHead.self, bytes)
        return RwResponse(status: head.status, headers: headers(head.headers), body: body)
    }

    private static func headers(_ pairs: [[String]]) -> Headers {
        Headers(pairs.compactMap { $0.count == 2 ? Headers.Field(name: $0[0], value: $0[1]) : nil })
    }

    private static func join<Head: Encodable>(_ head: Head, _ body: [UInt8]) throws -> [UInt8] {
        let json = try JSONEncoder().encode(head)
        var bytes = [UInt8]()
        bytes.reserveCapacity(4 + json.count + body.count)
        appendLength(json.count, to: &bytes)
        bytes += json
        bytes += body
        return bytes
    }

    private static func split<Head: Decodable>(_ type: Head.Type, _ bytes: [UInt8]) throws -> (Head, [UInt8]) {
        guard bytes.count >= 4 else { throw WireError.malformed("frame too short") }
        let length = readLength(bytes[0..<4])
        guard length <= bytes.count - 4 else { throw WireError.malformed("head longer than frame") }
        let head = try JSONDecoder().decode(type, from: Data(bytes[4..<(4 + length)]))
        return (head, Array(bytes[(4 + length)...]))
    }

    static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        let value = UInt32(length)
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func readLength(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 << 8 | Int($1) }
    }
}

/// A failure on the front ↔ runner connection.
public enum WireError: Error, CustomStringConvertible {
    /// A system call failed.
    case system(String, Int32)
    /// The peer sent bytes that are not a valid frame.
    case malformed(String)
    /// The peer closed the connection before a complete frame.
    case closed
    /// Nothing arrived within the receive timeout (``UnixSocket/setReceiveTimeout(_:)``).
    case timedOut

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .malformed(let reason): "malformed frame: \(reason)"
        case .closed: "connection closed"
        case .timedOut: "no answer within the receive timeout"
        }
    }
}
