#if canImport(Glibc)
import Glibc
#endif

/// A failure on the front ↔ runner connection.
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed (its name, `errno`).
    case system(String, Int32)
    /// The peer sent bytes that are not a valid frame or payload.
    case malformed(String)
    /// The connection ended before the answer came.
    case closed
    /// No answer came within the time allowed.
    case timedOut
    /// The runner could not produce the rest of a streamed body (why, as it said).
    case streamFailed(String)

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .malformed(let reason): "malformed frame: \(reason)"
        case .closed: "connection closed"
        case .timedOut: "no answer within the time allowed"
        case .streamFailed(let reason): reason
        }
    }
}
