/// Asks the runner to load one generation of app code.
public struct LoadCommand: Codable, Sendable, Equatable {
    /// The generation number.
    public var generation: Int
    /// The app image to `dlopen`.
    public var appImage: String
    /// The hash of the deps image the runner must run the app image with.
    public var depsHash: String

    /// Creates a command.
    public init(generation: Int, appImage: String, depsHash: String) {
        self.generation = generation
        self.appImage = appImage
        self.depsHash = depsHash
    }
}
