import Foundation
import RwSubprocess
import RwWire

/// How a runner process ended without being asked to.
struct RunnerCrash: Sendable, Equatable {
    /// What ended it.
    enum Cause: Sendable, Equatable {
        /// A signal: a Swift runtime trap (SIGILL, SIGTRAP), invalid memory access or stack
        /// overflow (SIGSEGV), or a kill from outside (SIGKILL).
        case signal(Int32)
        /// The runner stopped itself: a handler never returned after its request timed out and
        /// was cancelled (the runner's own report, sent as a frame before it exited).
        case stuckHandler(StuckHandler)
        /// Any other exit, with its status.
        case exitStatus(Int32)
    }

    /// What ended it.
    let cause: Cause
    /// For people: the trap message or the runner's report, then the last lines it wrote to
    /// standard error (usually a backtrace).
    let detail: String

    /// The crash of a runner that ended with `termination`, having reported `stuck` (its
    /// ``Frame/Kind/stuck`` frame, if it sent one) and written `errorTail` (its last lines of
    /// standard error, oldest first): the trap message or the runner's report first, then the tail.
    init(termination: Termination, stuck: StuckHandler?, errorTail: [String]) {
        cause =
            switch termination {
            case .signaled(let signal): .signal(signal)
            case .exited(RunnerProtocol.stuckHandlerExitStatus) where stuck != nil: .stuckHandler(stuck!)
            case .exited(let status): .exitStatus(status)
            }
        let tail = errorTail.joined(separator: "\n")
        let message = errorTail.filter { $0.contains("Fatal error") || $0.contains("Program crashed") }
        let report = stuck.map { ["\(RunnerProtocol.messagePrefix) \($0)"] } ?? []
        detail = (report + message + ["", tail]).joined(separator: "\n")
    }

    /// A crash with `cause` and `detail` as given.
    init(cause: Cause, detail: String) {
        self.cause = cause
        self.detail = detail
    }

    /// The cause in a few words, such as "signal 4 (SIGILL: …)" or "exit status 1".
    var reason: String {
        switch cause {
        case .signal(let signal): "signal \(signal) (\(Self.signalName(signal)))"
        case .stuckHandler: "it stopped itself: a handler never returned after its request timed out"
        case .exitStatus(let status): "exit status \(status)"
        }
    }

    private static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "SIGILL: a Swift runtime trap such as fatalError or a force unwrap of nil"
        case SIGTRAP: "SIGTRAP: a Swift runtime trap"
        case SIGSEGV: "SIGSEGV: invalid memory access or stack overflow"
        case SIGABRT: "SIGABRT"
        case SIGKILL: "SIGKILL: killed by another process, or by the kernel when memory ran out"
        case SIGBUS: "SIGBUS"
        default: "signal \(signal)"
        }
    }
}
