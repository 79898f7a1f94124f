/// The runner's first frame on its connection: it is ready for load, request and state frames.
public struct RunnerHello: Codable, Sendable, Equatable {
    /// The runner's process id, so that the front accepts only the runner it started.
    public var pid: Int32

    /// Creates a hello.
    public init(pid: Int32) {
        self.pid = pid
    }
}
