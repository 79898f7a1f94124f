import Foundation

/// Holds new requests while a build or a runner restart is in progress.
///
/// While closed, ``pass(timeout:)`` waits until the gate opens or the timeout passes; requests
/// are never sent to a generation that is being replaced.
actor Gate {
    private var closedBy: String?
    private var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]

    /// Why the gate is closed, or `nil` when it is open.
    var reason: String? { closedBy }

    /// Closes the gate; requests arriving from now on wait.
    func close(_ reason: String) {
        closedBy = reason
    }

    /// Opens the gate and lets every waiting request through.
    func open() {
        closedBy = nil
        let released = waiters
        waiters = [:]
        for waiter in released.values { waiter.resume(returning: true) }
    }

    /// Returns `true` once the gate is open, or `false` if it stayed closed for `timeout`.
    func pass(timeout: Duration) async -> Bool {
        guard closedBy != nil else { return true }
        let id = UUID()
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            waiters[id] = continuation
        }
    }

    private func expire(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume(returning: false)
    }
}
