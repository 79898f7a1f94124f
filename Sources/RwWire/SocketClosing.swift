public import RwState

/// The payload of a ``Frame/Kind/socketClose`` frame: the code the socket closed with.
public struct SocketClosing: Codable, Sendable, Equatable {
    /// The WebSocket close code.
    public var code: UInt16

    /// Creates the payload.
    public init(code: UInt16) {
        self.code = code
    }

    /// Creates the payload for one of RwSDK's close codes.
    public init(_ code: SocketCloseCode) {
        self.code = code.rawValue
    }
}
