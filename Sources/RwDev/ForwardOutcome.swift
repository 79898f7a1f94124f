import RwSDK
import RwWire

/// What became of a request forwarded to the runner; ``DevResponder`` renders every case but
/// ``response(_:)`` as an error page.
enum ForwardOutcome: Sendable {
    /// The app's response.
    case response(RwResponse)
    /// No generation of the app has compiled yet; the last build's diagnostics, if any.
    case notCompiled(diagnostics: String?)
    /// The handler did not answer within the request timeout; the runner cancelled it.
    case timedOut(RequestTimedOut)
    /// The runner gave no answer at all within the request timeout and
    /// ``RunnerSupervisor/answerMargin``, so it was killed (and restarts as after a crash).
    case unresponsive(seconds: Double)
    /// The runner the request went to ended before answering: how (`nil` when it did not end
    /// within 60 s, or never started), and the error on the connection.
    case crashed(RunnerCrash?, cause: String)
}
