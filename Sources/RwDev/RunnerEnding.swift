import RwSubprocess

/// What the end of one runner process waits for before its exit is known: the process ended
/// (`waitid`), and its error output (the trap message, the backtrace) and its connection (a stuck
/// handler's report) ended too, or ``RunnerProcess/Child/drainLimit`` passed since the process
/// ended.
///
/// A value fed with what the exit watcher, the error reader and the connection reader learn;
/// each event returns the one thing to do. It reports at most once.
struct RunnerEnding: Sendable, Equatable {
    /// What to do after an event.
    enum Action: Sendable, Equatable {
        /// Nothing yet.
        case none
        /// The process ended and output or frames may still come: feed ``drainLimitPassed()``
        /// after the drain limit.
        case waitForDrain
        /// The exit is known: the process ended with `termination`; `stopped` when that was
        /// asked for (``RunnerProcess/stop()``), so it is no crash.
        case report(Termination, stopped: Bool)
    }

    /// How the process ended, once it has.
    private(set) var termination: Termination?
    /// Whether the end was asked for.
    private(set) var stopping = false
    /// Whether the exit was reported.
    private(set) var reported = false
    private var hasConnection = false
    private var errorsDone = false
    private var connectionDone = false

    /// The runner said hello: its connection is read, and its end is waited for.
    mutating func connected() -> Action {
        hasConnection = true
        return .none
    }

    /// The run is being stopped: its end is no crash.
    mutating func stopRequested() -> Action {
        stopping = true
        return .none
    }

    /// The process ended with `termination`.
    mutating func terminated(_ termination: Termination) -> Action {
        guard self.termination == nil else { return .none }
        self.termination = termination
        return drained ? report() : .waitForDrain
    }

    /// The error output reached its end.
    mutating func errorsEnded() -> Action {
        errorsDone = true
        return drained ? report() : .none
    }

    /// The connection ended.
    mutating func connectionEnded() -> Action {
        connectionDone = true
        return drained ? report() : .none
    }

    /// The drain limit passed since the process ended: what has not come will not be waited for.
    mutating func drainLimitPassed() -> Action {
        report()
    }

    private var drained: Bool { errorsDone && (connectionDone || !hasConnection) }

    private mutating func report() -> Action {
        guard let termination, !reported else { return .none }
        reported = true
        return .report(termination, stopped: stopping)
    }
}
