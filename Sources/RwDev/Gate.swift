import Foundation
import Synchronization

/// Holds new requests while a build or a runner restart is in progress.
///
/// While closed, ``pass(timeout:)`` waits until the gate opens or the timeout passes; requests
/// are never sent to a generation that is being replaced. ``close(_:)`` and ``open()`` take
/// effect immediately, from any thread.
final class Gate: Sendable {
    private struct State {
        var closedBy: [String] = []
        var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Why the gate is closed, or `nil` when it is open.
    var reason: String? { state.withLock { $0.closedBy.isEmpty ? nil : $0.closedBy.joined(separator: " and ") } }

    /// How many requests are waiting.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Closes the gate for `reason`; requests arriving from now on wait.
    func close(_ reason: String) {
        state.withLock { $0.closedBy.append(reason) }
    }

    /// Ends `reason`; when no reason is left, lets every waiting request through.
    func open(_ reason: String) {
        let released = state.withLock { state -> [UUID: CheckedContinuation<Bool, Never>] in
            if let index = state.closedBy.firstIndex(of: reason) { state.closedBy.remove(at: index) }
            guard state.closedBy.isEmpty else { return [:] }
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in released.values { waiter.resume(returning: true) }
    }

    /// Returns `true` once the gate is open, or `false` if it stayed closed for `timeout`.
    func pass(timeout: Duration) async -> Bool {
        let id = UUID()
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let passed = state.withLock { state -> Bool in
                guard !state.closedBy.isEmpty else { return true }
                state.waiters[id] = continuation
                return false
            }
            if passed { continuation.resume(returning: true) }
        }
    }

    private func expire(_ id: UUID) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: false)
    }
}
