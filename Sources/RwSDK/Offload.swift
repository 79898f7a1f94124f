import Dispatch

/// Runs `work` on a thread of Dispatch's global pool, off Swift's cooperative pool, and returns
/// its result (or throws its error).
///
/// For slow synchronous work in a handler — hashing a password with bcrypt, resizing an image,
/// compressing a file — that would otherwise hold one of the cooperative pool's few threads (one
/// per core) and stall every other request meanwhile:
///
/// ```swift
/// let hash = try await offload { try Bcrypt.hash(password, cost: 12) }
/// ```
///
/// `work` runs on another thread: it does not see `requestInfo` or other task-local values, so
/// read what it needs before the call. The request's task waits without blocking a thread;
/// cancelling it does not stop `work`, which runs to its end.
public func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
