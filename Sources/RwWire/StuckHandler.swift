/// Sent by the runner just before it exits with ``RunnerProtocol/stuckHandlerExitStatus``: a
/// handler did not return within the grace period after its request timed out and was cancelled.
public struct StuckHandler: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The request's method.
    public var method: String
    /// The request's path.
    public var path: String
    /// The request timeout in seconds.
    public var timeoutSeconds: Double
    /// How long the runner waited for the cancelled handler, in seconds.
    public var graceSeconds: Double

    /// Creates a report.
    public init(method: String, path: String, timeoutSeconds: Double, graceSeconds: Double) {
        self.method = method
        self.path = path
        self.timeoutSeconds = timeoutSeconds
        self.graceSeconds = graceSeconds
    }

    /// The report as one sentence for people.
    public var description: String {
        "\(method) \(path) did not return within \(graceSeconds) s after it timed out (\(timeoutSeconds) s) and was "
            + "cancelled: it never yields (an infinite loop?) or waits on something that ignores cancellation. "
            + "The runner exits so that rw dev restarts it."
    }
}
