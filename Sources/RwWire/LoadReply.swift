/// The runner's answer to a ``LoadCommand``.
public struct LoadReply: Codable, Sendable, Equatable {
    /// Whether the generation is serving, and why not.
    public var outcome: LoadOutcome
    /// Milliseconds spent in `dlopen` and the entry point.
    public var loadMilliseconds: Double

    /// Creates a reply.
    public init(_ outcome: LoadOutcome, loadMilliseconds: Double) {
        self.outcome = outcome
        self.loadMilliseconds = loadMilliseconds
    }
}
