/// The send queue of one socket as a state machine: messages wait here until the connection's
/// writer takes them, up to a bound in messages and in bytes. Going over either bound closes
/// the socket with ``SocketCloseCode/slowSubscriber`` instead of growing, so a connection that
/// does not read costs at most the bound.
///
/// A value type with no I/O: ``SocketPeer`` holds one under its lock and acts on what it returns.
public struct SocketOutbox: Sendable {
    /// The most messages that may wait.
    public let maxMessages: Int
    /// The most bytes that may wait, counted as the messages' payload sizes.
    public let maxBytes: Int

    private var queue: [SocketMessage] = []
    private var head = 0
    private(set) public var queuedBytes = 0
    /// Set once the socket is closing: nothing more is accepted.
    private(set) public var closeCode: SocketCloseCode?

    /// An empty queue with the given bounds (each at least 1).
    public init(maxMessages: Int, maxBytes: Int) {
        self.maxMessages = max(1, maxMessages)
        self.maxBytes = max(1, maxBytes)
    }

    /// The messages waiting.
    public var count: Int { queue.count - head }

    /// What ``enqueue(_:)`` did.
    public enum EnqueueResult: Sendable, Equatable {
        /// Queued; the writer can take it.
        case queued
        /// Over a bound: the queue is emptied and closes with ``SocketCloseCode/slowSubscriber``.
        case overflow
        /// Already closing: the message was dropped.
        case closed
    }

    /// Queues `message` unless that passes a bound or the socket is closing.
    public mutating func enqueue(_ message: SocketMessage) -> EnqueueResult {
        guard closeCode == nil else { return .closed }
        if count + 1 > maxMessages || queuedBytes + message.byteCount > maxBytes {
            close(.slowSubscriber)
            return .overflow
        }
        queue.append(message)
        queuedBytes += message.byteCount
        return .queued
    }

    /// What the writer does next.
    public enum Next: Sendable, Equatable {
        /// Write this message.
        case write(SocketMessage)
        /// Nothing waits: wait for more.
        case wait
        /// Close the socket with this code (the messages still queued are dropped).
        case close(SocketCloseCode)
    }

    /// Takes the oldest message, or says to wait or to close.
    public mutating func next() -> Next {
        if let closeCode { return .close(closeCode) }
        guard head < queue.count else { return .wait }
        let message = queue[head]
        head += 1
        queuedBytes -= message.byteCount
        if head == queue.count {
            queue.removeAll(keepingCapacity: queue.capacity <= 64)
            head = 0
        }
        return .write(message)
    }

    /// Starts closing with `code` (the first code wins) and drops what waits.
    public mutating func close(_ code: SocketCloseCode) {
        guard closeCode == nil else { return }
        closeCode = code
        queue = []
        head = 0
        queuedBytes = 0
    }
}

/// A message of a socket: text (a channel frame, JSON) or binary.
public enum SocketMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])

    /// The payload's size in bytes.
    public var byteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let bytes): bytes.count
        }
    }
}
