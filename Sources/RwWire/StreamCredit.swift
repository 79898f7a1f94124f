/// Bytes of a streamed body the front has passed on, which the runner may now send again.
public struct StreamCredit: Codable, Sendable, Equatable {
    /// The number of bytes.
    public var bytes: Int

    /// A credit of `bytes`.
    public init(bytes: Int) {
        self.bytes = bytes
    }
}
