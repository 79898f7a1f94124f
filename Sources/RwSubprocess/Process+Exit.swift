package import Foundation

/// How a child process ended.
package enum Termination: Sendable, Equatable {
    /// It exited with this status.
    case exited(Int32)
    /// This signal ended it.
    case signaled(Int32)

    /// The exit status, or the number of the signal that ended it (what `terminationStatus` says).
    package var status: Int32 {
        switch self {
        case .exited(let status), .signaled(let status): status
        }
    }
}

extension Process {
    /// Blocks until the process has exited and returns its exit status, or the number of the
    /// signal that ended it (what `terminationStatus` would say).
    ///
    /// Foundation learns of every child's exit on one thread of its own, when a socket the child
    /// inherited closes; the socket is not close-on-exec, so a child started at the same moment
    /// from another thread may hold it too, and with children started from several threads at
    /// once that thread was seen to stop noticing exits altogether (killed servers and finished
    /// builds stayed zombies, and `waitUntilExit()` never returned). `waitid` with `WNOWAIT`
    /// waits for this child alone, by its pid, and leaves it for Foundation to reap. Foundation
    /// closes the descriptors it keeps for the child only once it has noticed the exit itself:
    /// a long-lived process calls `waitUntilExit()` after this.
    package func waitForExit() -> Int32 {
        waitForTermination().status
    }

    /// Blocks until the process has ended and says how, as ``waitForExit()`` does (`waitid` with
    /// `WNOWAIT`: the child is left for Foundation to reap).
    package func waitForTermination() -> Termination {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) != 0 {
            guard errno == EINTR else {
                // ECHILD: Foundation has reaped it already, so it knows the status.
                waitUntilExit()
                return terminationReason == .uncaughtSignal ? .signaled(terminationStatus) : .exited(terminationStatus)
            }
        }
        let status = info._sifields._sigchld.si_status
        return info.si_code == CLD_EXITED ? .exited(status) : .signaled(status)
    }

    /// Whether the process has ended, asked of the kernel (`waitid` with `WNOHANG` and
    /// `WNOWAIT`: the child is left for Foundation to reap); `true` once it has been reaped.
    package var hasEnded: Bool {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOHANG | WNOWAIT) != 0 {
            guard errno == EINTR else { return true }
        }
        // With WNOHANG, a child still running leaves the pid 0.
        return info._sifields._sigchld.si_pid != 0
    }
}
