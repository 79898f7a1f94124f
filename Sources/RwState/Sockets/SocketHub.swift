import Synchronization

/// The process's open sockets and who subscribed to which topic: where a broadcast finds its
/// subscribers. One per process (RwSDK keeps it with `defineRwState`), the same across reloads.
///
/// A broadcast puts one message in each subscriber's bounded queue and never waits for a
/// subscriber, so a slow one cannot hold the others up (see ``SocketPeer/send(_:)``).
public final class SocketHub: Sendable {
    private struct State: Sendable {
        var peers: [UInt64: SocketPeer] = [:]
        var subscribers: [String: [UInt64: SocketPeer]] = [:]
        /// Who waits in ``allClosed()``, by a number of their own.
        var closeWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    /// An empty hub.
    public init() {}

    /// Adds an open socket.
    public func add(_ peer: SocketPeer) { state.withLock { $0.peers[peer.id] = peer } }

    /// Removes a socket and its subscriptions; returns the topics it was subscribed to.
    @discardableResult
    public func remove(_ peer: SocketPeer) -> [String] {
        let (topics, waiters) = state.withLock { state in
            state.peers[peer.id] = nil
            var topics: [String] = []
            for (topic, var peers) in state.subscribers where peers[peer.id] != nil {
                peers[peer.id] = nil
                state.subscribers[topic] = peers.isEmpty ? nil : peers
                topics.append(topic)
            }
            var waiters: [CheckedContinuation<Void, Never>] = []
            if state.peers.isEmpty {
                waiters = Array(state.closeWaiters.values)
                state.closeWaiters = [:]
            }
            return (topics.sorted(), waiters)
        }
        for waiter in waiters { waiter.resume() }
        return topics
    }

    /// Asks every open socket to close with `code` (``SocketPeer/close(_:)``: its close frame
    /// leaves after what it had queued); returns how many were asked.
    @discardableResult
    public func closeAll(_ code: SocketCloseCode) -> Int {
        let peers = state.withLock { Array($0.peers.values) }
        for peer in peers { peer.close(code) }
        return peers.count
    }

    /// Returns once no socket is open (each removed with ``remove(_:)``), or when the waiting
    /// task is cancelled; at once when none is.
    public func allClosed() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    if state.peers.isEmpty || Task.isCancelled { return true }
                    state.closeWaiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.closeWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Subscribes `peer` to `topic`.
    public func subscribe(_ peer: SocketPeer, to topic: String) {
        state.withLock { $0.subscribers[topic, default: [:]][peer.id] = peer }
    }

    /// Unsubscribes `peer` from `topic`.
    public func unsubscribe(_ peer: SocketPeer, from topic: String) {
        state.withLock { state in
            state.subscribers[topic]?[peer.id] = nil
            if state.subscribers[topic]?.isEmpty == true { state.subscribers[topic] = nil }
        }
    }

    private let relay = Mutex<(@Sendable (_ topic: String, _ message: SocketMessage) -> Void)?>(nil)

    /// Hands every later ``publish(_:to:)`` to `relay` too, which carries it to the other
    /// instances of the app (PostgreSQL `NOTIFY`); they pass it to ``deliver(_:to:)``.
    public func relayBroadcasts(to relay: @escaping @Sendable (_ topic: String, _ message: SocketMessage) -> Void) {
        self.relay.withLock { $0 = relay }
    }

    /// Queues `message` for every subscriber of `topic` in this process (those over their
    /// queue's bound are closed instead), and hands it to the relay to other instances if one
    /// is set; returns how many subscribers of this process it was queued for.
    @discardableResult
    public func publish(_ message: SocketMessage, to topic: String) -> Int {
        relay.withLock { $0 }?(topic, message)
        return deliver(message, to: topic)
    }

    /// Queues `message` for every subscriber of `topic` in this process only (a broadcast from
    /// another instance); returns how many it was queued for.
    @discardableResult
    public func deliver(_ message: SocketMessage, to topic: String) -> Int {
        let peers = state.withLock { state in state.subscribers[topic].map { Array($0.values) } ?? [] }
        var delivered = 0
        for peer in peers where peer.send(message) { delivered += 1 }
        return delivered
    }

    /// The number of open sockets.
    public var socketCount: Int { state.withLock { $0.peers.count } }

    /// Each topic with subscribers and their socket ids, sorted: what the state inspector lists.
    public var listing: [(topic: String, sockets: [UInt64])] {
        state.withLock { state in
            state.subscribers.keys.sorted().map { topic in (topic, state.subscribers[topic]!.keys.sorted()) }
        }
    }
}
