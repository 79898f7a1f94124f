public import RwState

/// The runner's answer to a ``LoadCommand``.
public struct LoadReply: Codable, Sendable, Equatable {
    /// Whether the generation is serving, and why not.
    public var outcome: LoadOutcome
    /// Milliseconds spent in `dlopen` and the entry point.
    public var loadMilliseconds: Double
    /// What became of the reloaded images' globals and static properties (empty for a first
    /// load).
    public var globals: GlobalsReport

    /// Creates a reply.
    public init(_ outcome: LoadOutcome, loadMilliseconds: Double, globals: GlobalsReport = GlobalsReport()) {
        self.outcome = outcome
        self.loadMilliseconds = loadMilliseconds
        self.globals = globals
    }
}
