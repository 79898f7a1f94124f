/// The last frame of a streamed body: complete, or failed after its first bytes.
public struct StreamEnd: Codable, Sendable, Equatable {
    /// Why producing the body failed; `nil` when it is complete.
    public var failure: String?

    /// A stream end; `failure` says why the body is incomplete.
    public init(failure: String? = nil) {
        self.failure = failure
    }
}
