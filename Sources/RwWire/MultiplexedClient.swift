import Dispatch
import Foundation
import Synchronization

/// The asking end of a ``FrameConnection``: many requests in flight at once, each answered by
/// the frame with its stream id, in whatever order the answers come.
///
/// One thread reads the connection (started by ``start(onEvent:onEnd:)``); no thread is used
/// per request. A request with a time limit that gets no answer within it fails with
/// ``WireError/timedOut`` (checked by the reading thread every 100 ms); when the connection
/// ends, every request still waiting fails with ``WireError/closed``.
public final class MultiplexedClient: Sendable {
    private struct Waiting {
        var continuation: CheckedContinuation<Frame, any Error>
        var deadline: DispatchTime?
    }

    private struct State {
        var nextStream: UInt32 = 1
        var waiting: [UInt32: Waiting] = [:]
        var ended = false
    }

    /// The connection.
    public let connection: FrameConnection
    private let state = Mutex(State())

    /// A client on `connection`; call ``start(onEvent:onEnd:)`` before sending requests.
    public init(_ connection: FrameConnection) {
        self.connection = connection
    }

    /// Starts the reading thread. `onEvent` gets, on that thread, each frame sent on stream
    /// ``Frame/unsolicited``; `onEnd` is called once when the connection ends, with why
    /// (`nil`: the peer closed it cleanly), after every waiting request has failed.
    public func start(onEvent: @escaping @Sendable (Frame) -> Void, onEnd: @escaping @Sendable (WireError?) -> Void) {
        let thread = Thread { [self] in
            let error = connection.read(tick: expire, every: .milliseconds(100)) { frame in
                if frame.stream == Frame.unsolicited {
                    onEvent(frame)
                } else {
                    answer(frame)
                }
            }
            end()
            onEnd(error)
        }
        thread.name = "rw-wire-reader"
        thread.start()
    }

    /// Sends a frame of `kind` with `payload` and returns the frame that answers it. Throws
    /// ``WireError/timedOut`` when no answer came within `timeout` (`nil`: no limit),
    /// ``WireError/closed`` when the connection ended first, or the error of sending.
    public func request(_ kind: Frame.Kind, _ payload: [UInt8], timeout: Duration? = nil) async throws -> Frame {
        let deadline = timeout.map { DispatchTime.now() + .nanoseconds(Int(min($0.seconds, 1e9) * 1e9)) }
        return try await withCheckedThrowingContinuation { continuation in
            let stream = state.withLock { state -> UInt32? in
                guard !state.ended else { return nil }
                let stream = state.nextStream
                state.nextStream = stream == UInt32.max ? 1 : stream + 1
                state.waiting[stream] = Waiting(continuation: continuation, deadline: deadline)
                return stream
            }
            guard let stream else { return continuation.resume(throwing: WireError.closed) }
            do {
                try connection.send(Frame(kind, stream: stream, payload))
            } catch {
                state.withLock { $0.waiting.removeValue(forKey: stream) }?.continuation.resume(throwing: error)
            }
        }
    }

    /// The number of requests waiting for their answer.
    public var waitingCount: Int { state.withLock { $0.waiting.count } }

    private func answer(_ frame: Frame) {
        // An answer to a request that already timed out is dropped.
        state.withLock { $0.waiting.removeValue(forKey: frame.stream) }?.continuation.resume(returning: frame)
    }

    private func expire() {
        let now = DispatchTime.now()
        let expired = state.withLock { state -> [Waiting] in
            let streams = state.waiting.filter { $0.value.deadline.map { $0 <= now } ?? false }.keys
            return streams.compactMap { state.waiting.removeValue(forKey: $0) }
        }
        for waiting in expired { waiting.continuation.resume(throwing: WireError.timedOut) }
    }

    private func end() {
        let waiting = state.withLock { state -> [Waiting] in
            state.ended = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for entry in waiting { entry.continuation.resume(throwing: WireError.closed) }
    }
}
