/// The runner's answer when a handler did not answer within the request timeout.
public struct RequestTimedOut: Codable, Sendable, Equatable {
    /// The request timeout in seconds.
    public var seconds: Double
    /// How long the runner then waits for the cancelled handler to return before it stops
    /// itself (so that the front restarts it), in seconds.
    public var graceSeconds: Double

    /// Creates a report.
    public init(seconds: Double, graceSeconds: Double) {
        self.seconds = seconds
        self.graceSeconds = graceSeconds
    }
}
