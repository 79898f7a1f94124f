import Foundation
import Synchronization

/// Holds new requests while a build or a runner restart is in progress.
///
/// While closed, ``pass(timeout:)`` waits until the gate opens or the timeout passes; requests
/// are never sent to a generation that is being replaced. ``close(_:)`` and ``open(_:)`` take
/// effect immediately, from any thread. Each ``close(_:)`` returns a ``Token`` that opens
/// exactly that hold; the gate opens when no hold is left.
final class Gate: Sendable {
    /// Why the gate is held.
    enum Hold: Sendable, Equatable, CustomStringConvertible {
        /// A generation is being built and loaded.
        case building(generation: Int)
        /// The runner crashed and is being restarted.
        case restartingRunner

        var description: String {
            switch self {
            case .building(let generation): "building generation \(generation)"
            case .restartingRunner: "restarting the runner"
            }
        }
    }

    /// One hold on the gate, returned by ``close(_:)``; pass it to ``open(_:)`` once.
    struct Token: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct State {
        var holds: [(token: Token, hold: Hold)] = []
        var nextToken: UInt64 = 0
        var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Why the gate is closed, or `nil` when it is open.
    var reason: String? {
        state.withLock { $0.holds.isEmpty ? nil : $0.holds.map(\.hold.description).joined(separator: " and ") }
    }

    /// How many requests are waiting.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Closes the gate for `hold`; requests arriving from now on wait until every hold is opened.
    func close(_ hold: Hold) -> Token {
        state.withLock { state in
            state.nextToken += 1
            let token = Token(id: state.nextToken)
            state.holds.append((token, hold))
            return token
        }
    }

    /// Ends the hold of `token` (a second call with the same token does nothing); when no hold is
    /// left, lets every waiting request through.
    func open(_ token: Token) {
        let released = state.withLock { state -> [UUID: CheckedContinuation<Bool, Never>] in
            state.holds.removeAll { $0.token == token }
            guard state.holds.isEmpty else { return [:] }
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in released.values { waiter.resume(returning: true) }
    }

    /// Returns `true` once the gate is open, or `false` if it stayed closed for `timeout`.
    func pass(timeout: Duration) async -> Bool {
        // The open gate, nearly every request's case, costs one lock and no timer.
        if state.withLock({ $0.holds.isEmpty }) { return true }
        let id = UUID()
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let passed = state.withLock { state -> Bool in
                guard !state.holds.isEmpty else { return true }
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
