import Synchronization

/// Who answers one request: its handler, or the request timeout, whichever comes first; and
/// whether a timed-out handler has returned since.
final class RequestRun: Sendable {
    private enum Phase {
        case running
        case answered
        case timedOut
        case returnedAfterTimeout
    }

    private let phase = Mutex(Phase.running)
    private let handler = Mutex<Task<Void, Never>?>(nil)
    /// The watchdog's deadline for this request, once scheduled.
    let deadline = Mutex<Watchdog.Token?>(nil)

    init() {}

    /// Called when the handler returns; `true` when its response is the answer.
    func handlerReturned() -> Bool {
        phase.withLock { phase in
            switch phase {
            case .running:
                phase = .answered
                return true
            case .timedOut, .returnedAfterTimeout:
                phase = .returnedAfterTimeout
                return false
            case .answered:
                return false
            }
        }
    }

    /// Called when the request timeout passes; `true` when the timeout is the answer.
    func timeoutPassed() -> Bool {
        phase.withLock { phase in
            guard case .running = phase else { return false }
            phase = .timedOut
            handler.withLock { $0?.cancel() }
            return true
        }
    }

    /// Attaches the handler's task, cancelling it at once if the request has already timed out.
    func attach(_ task: Task<Void, Never>) {
        handler.withLock { $0 = task }
        if phase.withLock({ if case .timedOut = $0 { true } else { false } }) { task.cancel() }
    }

    /// Whether the handler has not returned, although its request timed out.
    var isStuck: Bool {
        phase.withLock { if case .timedOut = $0 { true } else { false } }
    }
}
