import Synchronization

/// The runner's side of back-pressure on streamed bodies: each open stream may have at most
/// ``window`` bytes (plus one piece) sent that the front has not granted back with a
/// ``Frame/Kind/credit`` frame, so a slow client makes the producer wait instead of making either
/// process buffer without bound.
public final class CreditWindows: Sendable {
    private struct Entry {
        var available: Int
        var waiter: CheckedContinuation<Void, any Error>?
        var waitingCount = 0
        var cancelled = false
        var onCancel: (@Sendable () -> Void)?
    }

    /// The bytes a stream may send ahead of the front's credit.
    public let window: Int
    private let entries = Mutex<[UInt32: Entry]>([:])

    /// Windows of `window` bytes (256 KiB unless told).
    public init(window: Int = 256 << 10) {
        self.window = window
    }

    /// Opens `stream` with a full window.
    public func open(_ stream: UInt32) {
        entries.withLock { $0[stream] = Entry(available: window) }
    }

    /// Runs `action` when `stream` is cancelled (at once if it already is).
    public func onCancel(_ stream: UInt32, _ action: @escaping @Sendable () -> Void) {
        let now = entries.withLock { entries -> Bool in
            guard entries[stream]?.cancelled == false else { return entries[stream] != nil }
            entries[stream]?.onCancel = action
            return false
        }
        if now { action() }
    }

    /// Forgets `stream`; a producer still waiting on it fails with `CancellationError`.
    public func close(_ stream: UInt32) {
        entries.withLock { $0.removeValue(forKey: stream) }?.waiter?.resume(throwing: CancellationError())
    }

    /// Waits until `stream` may send a piece (its window is not used up), then takes the
    /// piece's `count` bytes from the window (a piece may overdraw it). Throws
    /// `CancellationError` when the stream was cancelled or closed, or the waiting task is.
    public func take(_ count: Int, on stream: UInt32) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = entries.withLock { entries -> Bool? in
                    guard var entry = entries[stream], !entry.cancelled else { return false }
                    if entry.available > 0 {
                        entry.available -= count
                        entries[stream] = entry
                        return true
                    }
                    entry.waiter = continuation
                    entry.waitingCount = count
                    entries[stream] = entry
                    return nil
                }
                switch ready {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            cancel(stream)
        }
    }

    /// Whether a producer is waiting for credit on `stream`.
    public func isWaiting(_ stream: UInt32) -> Bool {
        entries.withLock { $0[stream]?.waiter != nil }
    }

    /// Gives `bytes` back to `stream`'s window (the front passed them on); a producer waiting
    /// for credit continues once the window is open again.
    public func grant(_ bytes: Int, to stream: UInt32) {
        let waiter = entries.withLock { entries -> CheckedContinuation<Void, any Error>? in
            guard var entry = entries[stream] else { return nil }
            entry.available += max(0, bytes)
            var waiter: CheckedContinuation<Void, any Error>?
            if entry.available > 0, let waiting = entry.waiter {
                entry.available -= entry.waitingCount
                entry.waiter = nil
                waiter = waiting
            }
            entries[stream] = entry
            return waiter
        }
        waiter?.resume()
    }

    /// Marks `stream` cancelled: a waiting producer fails with `CancellationError`, later
    /// ``take(_:on:)`` calls fail at once, and the action given to ``onCancel(_:_:)`` runs.
    public func cancel(_ stream: UInt32) {
        let (waiter, action) = entries.withLock { entries -> (CheckedContinuation<Void, any Error>?, (@Sendable () -> Void)?) in
            guard var entry = entries[stream], !entry.cancelled else { return (nil, nil) }
            entry.cancelled = true
            let taken = (entry.waiter, entry.onCancel)
            entry.waiter = nil
            entry.onCancel = nil
            entries[stream] = entry
            return taken
        }
        waiter?.resume(throwing: CancellationError())
        action?()
    }
}
