/// What became of a reloaded image's global and static stored variables when a later
/// generation of it loaded.
public struct GlobalsReport: Codable, Sendable, Equatable {
    /// One variable initialized anew although the earlier generation held a value.
    public struct Reset: Codable, Sendable, Equatable {
        /// The qualified name (`App.signingKey`).
        public var name: String
        /// Why, in the app author's words (`initializer changed`, `holds code`).
        public var reason: String
        /// Whether a value that may have been written is lost (a warning), rather than code or a
        /// declaration that changed as the author asked.
        public var losesState: Bool
        /// Whether it was initialized anew because its value holds code (a closure, a function):
        /// so it is on every reload, by design.
        public var holdsCode: Bool

        /// Creates a reset.
        public init(name: String, reason: String, losesState: Bool, holdsCode: Bool = false) {
            self.name = name
            self.reason = reason
            self.losesState = losesState
            self.holdsCode = holdsCode
        }
    }

    /// The variables that kept their value (or their very instance), by qualified name.
    public var kept: [String] = []
    /// The variables the earlier generation never initialized: they stay lazy.
    public var lazy: [String] = []
    /// The variables initialized anew, with why.
    public var reset: [Reset] = []

    /// An empty report.
    public init() {}

    /// Appends another image's report.
    public mutating func merge(_ other: GlobalsReport) {
        kept += other.kept
        lazy += other.lazy
        reset += other.reset
    }

    /// Whether nothing was carried or reset.
    public var isEmpty: Bool { kept.isEmpty && lazy.isEmpty && reset.isEmpty }
}

/// One global or static stored variable of the serving generation's reloaded images, for
/// inspection tools.
public struct GlobalEntry: Codable, Sendable, Equatable {
    /// The qualified name (`App.signingKey`).
    public var name: String
    /// The declared type, as the demangler prints it.
    public var typeName: String
    /// Whether it holds a value (its initializer ran, or a kept value was carried in); `false`
    /// while it is lazy.
    public var initialized: Bool

    /// Creates an entry.
    public init(name: String, typeName: String, initialized: Bool) {
        self.name = name
        self.typeName = typeName
        self.initialized = initialized
    }
}
