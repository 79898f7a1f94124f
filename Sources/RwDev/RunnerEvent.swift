import RwState
import RwWire

/// What a ``RunnerSupervisor`` reports, in order: every ``crashed(_:)`` is followed by exactly
/// one ``restarted(after:generation:reply:)`` or ``restartFailed(_:)``.
enum RunnerEvent: Sendable, Equatable {
    /// The runner gave no answer to `method` `path` within `seconds` (its request timeout and
    /// margin), so it is being killed; a ``crashed(_:)`` follows.
    case unresponsive(method: RequestMethod, path: String, seconds: Double)
    /// The runner ended without being asked to. Requests wait until it is back.
    case crashed(RunnerCrash)
    /// A new runner is serving after `crash`, with the last generation that had loaded (`nil`:
    /// none had) and the outcome of loading it again.
    case restarted(after: RunnerCrash, generation: Int?, reply: LoadReply?)
    /// No new runner could be started; requests are answered with error pages.
    case restartFailed(String)
}
