/// The bounds of the production server's WebSockets.
public struct SocketLimits: Sendable {
    /// The largest message a browser may send, in bytes; a larger one closes its socket with
    /// code 1009.
    public var maxMessageSize: Int
    /// The most messages a socket's send queue holds before the socket is closed as a slow
    /// subscriber (code 4008).
    public var maxQueuedMessages: Int
    /// The most bytes a socket's send queue holds before the socket is closed as a slow
    /// subscriber (code 4008).
    public var maxQueuedBytes: Int
    /// How often an idle socket is pinged; one that does not answer by the next ping is closed.
    public var pingInterval: Duration
    /// How long a socket that is closing (a slow subscriber, the server shutting down) has to
    /// take its close frame before its connection is closed without it.
    public var closeGrace: Duration

    /// Limits: messages of at most 64 KiB in, at most 256 messages or 1 MiB queued out, a ping
    /// every 30 s, 2 s to take a close frame.
    public init(
        maxMessageSize: Int = 64 << 10, maxQueuedMessages: Int = 256, maxQueuedBytes: Int = 1 << 20,
        pingInterval: Duration = .seconds(30), closeGrace: Duration = .seconds(2)
    ) {
        self.maxMessageSize = maxMessageSize
        self.maxQueuedMessages = maxQueuedMessages
        self.maxQueuedBytes = maxQueuedBytes
        self.pingInterval = pingInterval
        self.closeGrace = closeGrace
    }
}
