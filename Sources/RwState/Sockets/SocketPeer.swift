import Synchronization

/// One open socket as the app sees it, whatever carries it (the production server's WebSocket,
/// or in `rw dev` the front's socket relayed to the runner): who opened it, its bounded send
/// queue, the topics it joined and each topic's state.
///
/// It lives in the state module so that it stays the same object across reloads: a socket that
/// opened under one generation keeps its queue, its topics and their state under the next.
/// Sending never waits: ``send(_:)`` queues or, when the queue is over its bound, closes the
/// socket with ``SocketCloseCode/slowSubscriber``. One writer takes the messages with ``next()``.
public final class SocketPeer: Sendable {
    /// The socket's id, unique in this process.
    public let id: UInt64
    /// The information of the request that opened the socket (its session, cookies, `Origin`).
    public let info: RequestInfo

    private struct State: Sendable {
        var outbox: SocketOutbox
        var waiter: CheckedContinuation<SocketOutbox.Next, Never>?
        /// Joined topics and the state a channel keeps for each (encoded JSON, so it reads the
        /// same under every generation of the channel's code).
        var topics: [String: [UInt8]] = [:]
        /// The tasks waiting in ``closed()``.
        var closeWaiters: [CheckedContinuation<SocketCloseCode, Never>] = []
    }

    private let state: Mutex<State>

    private static let ids = Atomic<UInt64>(0)

    /// A new peer for the socket opened by `info`'s request, with a send queue of at most
    /// `maxQueuedMessages` messages and `maxQueuedBytes` bytes.
    public init(info: RequestInfo, maxQueuedMessages: Int = 256, maxQueuedBytes: Int = 1 << 20) {
        id = Self.ids.wrappingAdd(1, ordering: .relaxed).newValue
        self.info = info
        state = Mutex(State(outbox: SocketOutbox(maxMessages: maxQueuedMessages, maxBytes: maxQueuedBytes)))
    }

    /// Queues `message` for the writer; `false` when the socket is closing or was just closed for
    /// going over its queue's bound.
    @discardableResult
    public func send(_ message: SocketMessage) -> Bool {
        let (result, waiter) = state.withLock { state -> (SocketOutbox.EnqueueResult, CheckedContinuation<SocketOutbox.Next, Never>?) in
            let result = state.outbox.enqueue(message)
            guard result != .closed, let waiter = state.waiter else { return (result, nil) }
            state.waiter = nil
            return (result, waiter)
        }
        // The writer was waiting, so the queue held nothing before: hand it the next step.
        if let waiter { waiter.resume(returning: takeNext()) }
        if result == .overflow { close(.slowSubscriber) }
        return result == .queued
    }

    /// Closes the socket with `code`: the writer's next step is to close; queued messages are
    /// dropped. The first code wins.
    public func close(_ code: SocketCloseCode) {
        let (waiter, closeWaiters, first) = state.withLock { state in
            let first = state.outbox.closeCode ?? code
            state.outbox.close(code)
            defer {
                state.waiter = nil
                state.closeWaiters = []
            }
            return (state.waiter, state.closeWaiters, first)
        }
        waiter?.resume(returning: .close(first))
        for closeWaiter in closeWaiters { closeWaiter.resume(returning: first) }
    }

    /// Waits until the socket is closing (by ``close(_:)`` or for going over its queue's bound)
    /// and returns the code.
    public func closed() async -> SocketCloseCode {
        await withCheckedContinuation { continuation in
            let code = state.withLock { state -> SocketCloseCode? in
                if let code = state.outbox.closeCode { return code }
                state.closeWaiters.append(continuation)
                return nil
            }
            if let code { continuation.resume(returning: code) }
        }
    }

    /// The code the socket is closing with, `nil` while it is open.
    public var closeCode: SocketCloseCode? { state.withLock { $0.outbox.closeCode } }

    /// The number of messages waiting for the writer.
    public var queuedMessages: Int { state.withLock { $0.outbox.count } }

    /// The writer's next step: a message to write, or the close; waits while nothing is queued.
    /// Only one task may call it at a time.
    public func next() async -> SocketOutbox.Next {
        let ready = takeNext()
        guard ready == .wait else { return ready }
        return await withCheckedContinuation { continuation in
            let now = state.withLock { state -> SocketOutbox.Next? in
                let next = state.outbox.next()
                if next == .wait {
                    state.waiter = continuation
                    return nil
                }
                return next
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    private func takeNext() -> SocketOutbox.Next { state.withLock { $0.outbox.next() } }

    /// The topics the socket joined, sorted.
    public var topics: [String] { state.withLock { $0.topics.keys.sorted() } }

    /// Whether the socket joined `topic`.
    public func hasJoined(_ topic: String) -> Bool { state.withLock { $0.topics[topic] != nil } }

    /// Records `topic` as joined with `stateBytes` as its state; `false` when it already was.
    @discardableResult
    public func join(_ topic: String, stateBytes: [UInt8] = []) -> Bool {
        state.withLock { state in
            guard state.topics[topic] == nil else { return false }
            state.topics[topic] = stateBytes
            return true
        }
    }

    /// Forgets `topic`; `false` when it was not joined.
    @discardableResult
    public func leave(_ topic: String) -> Bool { state.withLock { $0.topics.removeValue(forKey: topic) != nil } }

    /// The state kept for `topic` (encoded), `nil` when the topic is not joined.
    public func stateBytes(of topic: String) -> [UInt8]? { state.withLock { $0.topics[topic] } }

    /// Replaces the state kept for a joined `topic`; does nothing for a topic not joined.
    public func setStateBytes(_ bytes: [UInt8], of topic: String) {
        state.withLock { state in
            if state.topics[topic] != nil { state.topics[topic] = bytes }
        }
    }
}
