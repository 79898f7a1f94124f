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
///
/// A request answered with a ``Frame/Kind/streamStart`` frame also gets the frames that follow on
/// its stream, up to its ``Frame/Kind/streamEnd`` (see ``exchange(_:_:timeout:)``); a socket
/// opened with ``Frame/Kind/socketOpened`` gets them up to its ``Frame/Kind/socketClose``.
public final class MultiplexedClient: Sendable {
    /// The answer to a request: its frame, and for a ``Frame/Kind/streamStart`` or
    /// ``Frame/Kind/socketOpened`` the frames that follow on its stream (the last one a
    /// ``Frame/Kind/streamEnd`` or ``Frame/Kind/socketClose``, unless the connection ended first).
    public struct Answer: Sendable {
        /// The answering frame.
        public let frame: Frame
        /// The frames that follow a ``Frame/Kind/streamStart``; `nil` for other answers.
        public let rest: AsyncStream<Frame>?
    }

    private struct Waiting {
        var continuation: CheckedContinuation<Answer, any Error>
        var deadline: DispatchTime?
    }

    private struct State {
        var nextStream: UInt32 = 1
        var waiting: [UInt32: Waiting] = [:]
        var streams: [UInt32: AsyncStream<Frame>.Continuation] = [:]
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
            let error = connection.read(tick: expire, every: .milliseconds(100)) { frame, _ in
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
        try await exchange(kind, payload, timeout: timeout).frame
    }

    /// Sends a frame of `kind` with `payload` and returns its answer, with the frames of a
    /// streamed answer; throws as ``request(_:_:timeout:)`` does. The time limit covers the
    /// answering frame only. The caller reads `rest` to its end, or calls
    /// ``cancelStream(_:)``; it grants the runner credit with ``grant(_:to:)`` as it passes
    /// pieces on.
    public func exchange(_ kind: Frame.Kind, _ payload: [UInt8], timeout: Duration? = nil) async throws -> Answer {
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

    /// Grants `bytes` of credit to streamed answer `stream` (see ``CreditWindows``).
    public func grant(_ bytes: Int, to stream: UInt32) {
        // A broken connection ends the stream through the reading thread.
        try? connection.send(Frame(.credit, stream: stream, json: StreamCredit(bytes: bytes)))
    }

    /// Stops reading streamed answer `stream`: its remaining frames are dropped and the runner
    /// is told to stop producing it.
    public func cancelStream(_ stream: UInt32) {
        guard let rest = state.withLock({ $0.streams.removeValue(forKey: stream) }) else { return }
        rest.finish()
        try? connection.send(Frame(.cancel, stream: stream))
    }

    /// Sends `frame` on an open stream (a socket's message, credit or close); throws the error
    /// of sending.
    public func send(_ frame: Frame) throws {
        try connection.send(frame)
    }

    /// Stops reading the frames of `stream` (an open socket's) and sends `last` (its
    /// ``Frame/Kind/socketClose``); the stream's reader sees its end.
    public func endStream(_ stream: UInt32, sending last: Frame) {
        state.withLock { $0.streams.removeValue(forKey: stream) }?.finish()
        // A broken connection has ended the stream already.
        try? connection.send(last)
    }

    /// The number of streamed answers still being received.
    public var openStreamCount: Int { state.withLock { $0.streams.count } }

    private func answer(_ frame: Frame) {
        enum Delivery {
            case answer(Waiting, Answer)
            case more(AsyncStream<Frame>.Continuation, last: Bool)
        }
        let delivery = state.withLock { state -> Delivery? in
            if let waiting = state.waiting.removeValue(forKey: frame.stream) {
                guard frame.kind == .streamStart || frame.kind == .socketOpened else {
                    return .answer(waiting, Answer(frame: frame, rest: nil))
                }
                // Unbounded, yet bounded in practice: the runner sends at most its credit window
                // (plus one piece) ahead of what this side has granted back.
                let (rest, continuation) = AsyncStream.makeStream(of: Frame.self)
                state.streams[frame.stream] = continuation
                return .answer(waiting, Answer(frame: frame, rest: rest))
            }
            guard let continuation = state.streams[frame.stream] else { return nil }
            let last = frame.kind == .streamEnd || frame.kind == .socketClose
            if last { state.streams.removeValue(forKey: frame.stream) }
            return .more(continuation, last: last)
        }
        // An answer to a request that already timed out, or to a cancelled stream, is dropped.
        switch delivery {
        case .answer(let waiting, let answer): waiting.continuation.resume(returning: answer)
        case .more(let continuation, let last):
            continuation.yield(frame)
            if last { continuation.finish() }
        case nil: break
        }
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
        let (waiting, streams) = state.withLock { state -> ([Waiting], [AsyncStream<Frame>.Continuation]) in
            state.ended = true
            defer {
                state.waiting = [:]
                state.streams = [:]
            }
            return (Array(state.waiting.values), Array(state.streams.values))
        }
        for entry in waiting { entry.continuation.resume(throwing: WireError.closed) }
        // Streams end without their streamEnd frame: their readers see the connection ended.
        for stream in streams { stream.finish() }
    }
}
