import Foundation

/// Runs actions at deadlines on one dedicated thread of its own, so that they run even when
/// every thread of the cooperative pool is held by handlers that never yield.
final class Watchdog: @unchecked Sendable {
    /// Identifies a scheduled action, to cancel it.
    struct Token: Hashable, Sendable {
        fileprivate let value: UInt64
    }

    private struct Entry {
        var deadline: DispatchTime
        var action: @Sendable () -> Void
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var entries: [Token: Entry] = [:]
    private var nextToken: UInt64 = 0
    private var sleepingUntil: DispatchTime?
    private var started = false

    init() {}

    /// Runs `action` on the watchdog's thread once `delay` has passed, unless cancelled first.
    @discardableResult
    func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> Token {
        let deadline = DispatchTime.now() + .nanoseconds(Int(delay.seconds * 1e9))
        condition.lock()
        defer { condition.unlock() }
        nextToken += 1
        let token = Token(value: nextToken)
        entries[token] = Entry(deadline: deadline, action: action)
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "rw-runner-watchdog"
            thread.start()
        } else if let sleepingUntil, deadline < sleepingUntil {
            condition.signal()
        }
        return token
    }

    /// Cancels the action of `token` if it has not started yet.
    func cancel(_ token: Token) {
        condition.lock()
        entries.removeValue(forKey: token)
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            let now = DispatchTime.now()
            let due = entries.filter { $0.value.deadline <= now }
            if !due.isEmpty {
                for token in due.keys { entries.removeValue(forKey: token) }
                condition.unlock()
                for entry in due.values.sorted(by: { $0.deadline < $1.deadline }) { entry.action() }
                condition.lock()
                continue
            }
            if let earliest = entries.values.map(\.deadline).min() {
                sleepingUntil = earliest
                let seconds = Double(earliest.uptimeNanoseconds - now.uptimeNanoseconds) / 1e9
                _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
            } else {
                sleepingUntil = .distantFuture
                condition.wait()
            }
            sleepingUntil = nil
        }
    }
}
