import RwState
import RwWire

/// The runner's life as ``RunnerSupervisor`` leads it: started, serving once it said hello,
/// restarted with the last loaded generation replayed when it crashes, failed when it could not
/// be restarted, stopped.
///
/// A value that does no I/O: each event returns the actions the supervisor carries out, in
/// order, so every transition can be tested alone.
struct RunnerLife: Sendable, Equatable {
    /// Where the runner is in its life.
    enum State: Sendable, Equatable {
        /// Not started yet.
        case idle
        /// The first runner is starting.
        case starting
        /// The runner `pid` said hello and takes requests.
        case serving(pid: Int32)
        /// A new runner is starting after `crash`.
        case restarting(after: RunnerCrash)
        /// The new runner `pid` said hello and the last loaded generation is loaded into it again.
        case replaying(pid: Int32, after: RunnerCrash)
        /// No runner serves: the reason.
        case failed(String)
        /// Stopped for good.
        case stopped
    }

    /// What the supervisor does, in order.
    enum Action: Sendable, Equatable {
        /// Start a runner process; feed ``helloReceived(pid:)`` or ``launchFailed(_:)``.
        case launch
        /// Send `command` to the runner `pid`; feed ``replayed(pid:reply:)`` with its reply.
        case replay(LoadCommand, pid: Int32)
        /// Let the requests waiting for a runner through to the runner `pid`.
        case release(pid: Int32)
        /// Answer the requests waiting for a runner: none serves, for this reason.
        case refuse(String)
        /// Kill the runner `pid` (SIGKILL); its end is a crash.
        case kill(pid: Int32)
        /// Stop the runner `pid` (its end is no crash).
        case stop(pid: Int32)
        /// Tell the owner.
        case report(RunnerEvent)
        /// End the reports and stop listening for runners.
        case finish
    }

    /// Where a request or a load goes now.
    enum Route: Sendable, Equatable {
        /// To the runner `pid`.
        case send(pid: Int32)
        /// Nowhere yet: wait for a ``Action/release(pid:)`` or ``Action/refuse(_:)``.
        case wait
        /// Nowhere: no runner serves, for this reason.
        case refuse(String)
    }

    /// Where the runner is in its life.
    private(set) var state: State = .idle
    /// The last command that loaded: replayed into a restarted runner.
    private(set) var lastLoad: LoadCommand?
    /// A crash of the runner being replayed into, told once its replay ended.
    private var crashWhileReplaying: RunnerCrash?

    static let stoppingReason = "rw dev is stopping"

    /// Starts the first runner.
    mutating func start() -> [Action] {
        guard state == .idle else { return [] }
        state = .starting
        return [.launch]
    }

    /// The runner `pid` said hello.
    mutating func helloReceived(pid: Int32) -> [Action] {
        switch state {
        case .starting:
            state = .serving(pid: pid)
            return [.release(pid: pid)]
        case .restarting(let crash):
            if let lastLoad {
                state = .replaying(pid: pid, after: crash)
                return [.replay(lastLoad, pid: pid)]
            }
            state = .serving(pid: pid)
            return [.release(pid: pid), .report(.restarted(after: crash, generation: nil, reply: nil))]
        case .stopped:
            // Started while `rw dev` stopped: it never serves.
            return [.stop(pid: pid)]
        case .idle, .serving, .replaying, .failed:
            return []
        }
    }

    /// The replayed load into the runner `pid` was answered with `reply` (a failed one when the
    /// runner could not be reached).
    mutating func replayed(pid: Int32, reply: LoadReply) -> [Action] {
        guard case .replaying(pid, let crash) = state else { return [] }
        let generation = lastLoad?.generation
        state = .serving(pid: pid)
        var actions: [Action] = [.release(pid: pid), .report(.restarted(after: crash, generation: generation, reply: reply))]
        if let crash = crashWhileReplaying {
            crashWhileReplaying = nil
            actions += exited(pid: pid, .crashed(crash))
        }
        return actions
    }

    /// No runner could be started: `error`.
    mutating func launchFailed(_ error: String) -> [Action] {
        switch state {
        case .starting:
            state = .failed("the runner could not be started: \(error)")
            return [.refuse("the runner could not be started: \(error)")]
        case .restarting:
            state = .failed("the runner could not be restarted: \(error)")
            return [.refuse("the runner could not be restarted: \(error)"), .report(.restartFailed(error))]
        case .idle, .serving, .replaying, .failed, .stopped:
            return []
        }
    }

    /// The runner `pid` ended as `exit` says. Only the end of the current runner matters; a
    /// stopped one is no crash.
    mutating func exited(pid: Int32, _ exit: RunnerProcess.Exit) -> [Action] {
        guard case .crashed(let crash) = exit else { return [] }
        switch state {
        case .serving(pid):
            state = .restarting(after: crash)
            return [.report(.crashed(crash)), .launch]
        case .replaying(pid, _):
            crashWhileReplaying = crash
            return []
        default:
            return []
        }
    }

    /// The runner answered a load of `command` with `reply`: a command that loaded is the one
    /// a restarted runner gets.
    mutating func loadAnswered(_ command: LoadCommand, _ reply: LoadReply) -> [Action] {
        if reply.outcome == .loaded { lastLoad = command }
        return []
    }

    /// The running runner `pid` gave no answer to `method` `path` within `seconds`: it is
    /// killed, unless it is no longer the serving one.
    mutating func unanswered(pid: Int32, method: RequestMethod, path: String, seconds: Double) -> [Action] {
        guard state == .serving(pid: pid) else { return [] }
        return [.report(.unresponsive(method: method, path: path, seconds: seconds)), .kill(pid: pid)]
    }

    /// Stops for good.
    mutating func stop() -> [Action] {
        let pid: Int32? =
            switch state {
            case .serving(let pid), .replaying(let pid, _): pid
            default: nil
            }
        guard state != .stopped else { return [] }
        state = .stopped
        return (pid.map { [.stop(pid: $0)] } ?? []) + [.refuse(Self.stoppingReason), .finish]
    }

    /// Where a request or a load goes now.
    var route: Route {
        switch state {
        case .serving(let pid): .send(pid: pid)
        case .idle, .starting, .restarting, .replaying: .wait
        case .failed(let reason): .refuse(reason)
        case .stopped: .refuse(Self.stoppingReason)
        }
    }
}
