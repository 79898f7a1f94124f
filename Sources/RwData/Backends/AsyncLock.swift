import NIOCore
import Synchronization

/// A lock for async code, held either by any number of callers at once (``Mode/shared``) or by
/// one (``Mode/exclusive``). Waiters are let in by arrival order, so a shared caller that comes
/// after a waiting exclusive one waits too, and an exclusive caller is never starved. Waiting
/// suspends the task without blocking a thread; taking a free lock does not suspend at all.
final class AsyncLock: Sendable {
    /// How the lock is held.
    enum Mode: Sendable {
        /// With any other shared holders.
        case shared
        /// Alone.
        case exclusive
    }

    private struct Waiter {
        let mode: Mode
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var sharedHolders = 0
        var heldExclusively = false
        var waiters = CircularBuffer<Waiter>()

        /// Whether a caller asking for `mode` now may take the lock at once.
        func admits(_ mode: Mode) -> Bool {
            waiters.isEmpty && !heldExclusively && (mode == .shared || sharedHolders == 0)
        }

        mutating func take(_ mode: Mode) {
            switch mode {
            case .shared: sharedHolders += 1
            case .exclusive: heldExclusively = true
            }
        }
    }

    private let state = Mutex(State())

    /// Waits until the lock can be held in `mode`, and holds it.
    func acquire(_ mode: Mode = .exclusive) async {
        let taken = state.withLock { state in
            guard state.admits(mode) else { return false }
            state.take(mode)
            return true
        }
        if taken { return }
        await withCheckedContinuation { continuation in
            let takenMeanwhile = state.withLock { state in
                guard state.admits(mode) else {
                    state.waiters.append(Waiter(mode: mode, continuation: continuation))
                    return false
                }
                state.take(mode)
                return true
            }
            if takenMeanwhile { continuation.resume() }
        }
    }

    /// Gives up a hold taken in `mode`, and lets in the waiters that can hold it now: the first
    /// one if it is exclusive, else every shared one up to the next exclusive waiter.
    func release(_ mode: Mode = .exclusive) {
        let admitted = state.withLock { state in
            switch mode {
            case .shared: state.sharedHolders -= 1
            case .exclusive: state.heldExclusively = false
            }
            var admitted: [CheckedContinuation<Void, Never>] = []
            while let next = state.waiters.first, !state.heldExclusively {
                if next.mode == .exclusive && state.sharedHolders > 0 { break }
                state.take(next.mode)
                admitted.append(state.waiters.removeFirst().continuation)
            }
            return admitted
        }
        for continuation in admitted { continuation.resume() }
    }

    /// How many callers wait for the lock.
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Runs `body` holding the lock in `mode`.
    func withLock<R: Sendable>(_ mode: Mode = .exclusive, _ body: () async throws -> R) async rethrows -> R {
        await acquire(mode)
        do {
            let result = try await body()
            release(mode)
            return result
        } catch {
            release(mode)
            throw error
        }
    }
}
