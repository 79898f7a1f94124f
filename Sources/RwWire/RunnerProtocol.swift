/// Fixed parts of the front ↔ runner protocol outside frames.
public enum RunnerProtocol {
    /// The exit status of a runner that stopped itself because a handler never returned after
    /// its request timed out and was cancelled (an infinite loop, or a wait that ignores
    /// cancellation). It sends a ``Frame/Kind/stuck`` frame first.
    public static let stuckHandlerExitStatus: Int32 = 86

    /// How the runner's own lines on standard error start.
    public static let messagePrefix = "rw-runner:"
}
