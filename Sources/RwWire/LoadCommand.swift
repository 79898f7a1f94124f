/// Asks the runner to load one generation of app code.
public struct LoadCommand: Codable, Sendable, Equatable {
    /// The generation number.
    public var generation: Int
    /// The app image to `dlopen`.
    public var appImage: String
    /// The hash of the deps image the runner must run the app image with.
    public var depsHash: String
    /// Globals and static properties whose declaration changed since the last generation
    /// (`App.signingKey`) → why; they initialize anew instead of keeping their value.
    public var reinitialize: [String: String]

    /// Creates a command.
    public init(generation: Int, appImage: String, depsHash: String, reinitialize: [String: String] = [:]) {
        self.generation = generation
        self.appImage = appImage
        self.depsHash = depsHash
        self.reinitialize = reinitialize
    }
}
