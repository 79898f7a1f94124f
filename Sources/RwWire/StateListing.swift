public import RwState

/// The runner's answer to a ``Frame/Kind/state`` frame: its state registry and the globals of the
/// serving generation's reloaded images.
public struct StateListing: Codable, Sendable, Equatable {
    /// The state registry's keys.
    public var entries: [StateEntry]
    /// The reloaded images' global and static stored variables.
    public var globals: [GlobalEntry]

    /// Creates a listing.
    public init(entries: [StateEntry], globals: [GlobalEntry]) {
        self.entries = entries
        self.globals = globals
    }
}
