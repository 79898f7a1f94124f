public import RwState

/// The runner's answer to a ``Frame/Kind/state`` frame: its state registry, the globals of the
/// serving generation's reloaded images, and its open channels.
public struct StateListing: Codable, Sendable, Equatable {
    /// The state registry's keys.
    public var entries: [StateEntry]
    /// The reloaded images' global and static stored variables.
    public var globals: [GlobalEntry]
    /// The channel topics with subscribers, and their sockets' ids (`nil` from a runner that
    /// does not list them).
    public var channels: [TopicSubscribers]?

    /// Creates a listing.
    public init(entries: [StateEntry], globals: [GlobalEntry], channels: [TopicSubscribers]? = nil) {
        self.entries = entries
        self.globals = globals
        self.channels = channels
    }
}
