public import RwState

extension SocketMessage {
    /// The payload of a ``Frame/Kind/socketMessage`` frame: one byte (0 text, 1 binary), then
    /// the message's bytes.
    public var wireBytes: [UInt8] {
        switch self {
        case .text(let text): [0] + Array(text.utf8)
        case .binary(let bytes): [1] + bytes
        }
    }

    /// Decodes a ``Frame/Kind/socketMessage`` payload; throws ``WireError/malformed(_:)`` for
    /// an unknown type byte or text that is not UTF-8.
    public init(wireBytes: [UInt8]) throws {
        switch wireBytes.first {
        case 0:
            guard let text = String(validating: wireBytes.dropFirst(), as: UTF8.self) else {
                throw WireError.malformed("a socket text message that is not UTF-8")
            }
            self = .text(text)
        case 1: self = .binary(Array(wireBytes.dropFirst()))
        default: throw WireError.malformed("a socket message of unknown type")
        }
    }
}
