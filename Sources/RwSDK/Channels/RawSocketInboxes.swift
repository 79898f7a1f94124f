import Synchronization

/// The inboxes of raw WebSocket routes' sockets under `rw dev`, by socket id.
///
/// A raw route's handler runs for its socket's whole life in the generation that accepted it,
/// reading its inbox, while the runner hands each message to whichever generation is current
/// when it arrives: that generation finds the inbox here. Kept with `defineRwState`, so every
/// generation sees the same inboxes.
final class RawSocketInboxes: Sendable {
    private let inboxes = Mutex<[UInt64: AsyncStream<SocketMessage>.Continuation]>([:])

    /// Keeps `inbox` for the socket `id`.
    func add(_ inbox: AsyncStream<SocketMessage>.Continuation, for id: UInt64) {
        inboxes.withLock { $0[id] = inbox }
    }

    /// Puts `message` in the inbox of the socket `id`; `false` when `id` is no raw route's
    /// socket (a channel socket).
    func deliver(_ message: SocketMessage, to id: UInt64) -> Bool {
        guard let inbox = inboxes.withLock({ $0[id] }) else { return false }
        inbox.yield(message)
        return true
    }

    /// Ends the inbox of the socket `id` (the browser went away), so its handler's `messages`
    /// end; nothing when it has none.
    func finish(_ id: UInt64) {
        inboxes.withLock { $0.removeValue(forKey: id) }?.finish()
    }
}

/// The process's raw socket inboxes, the same in every generation.
let rawSocketInboxes: RawSocketInboxes = defineRwState("rawSocketInboxes") { RawSocketInboxes() }
