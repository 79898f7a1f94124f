/// A raw WebSocket route (see ``webSocket(_:_:)``).
package struct WebSocketRoute: Sendable {
    let pattern: RoutePattern
    let handler: @Sendable (WebSocket) async throws -> Void
}

/// Declares a raw WebSocket route: a socket opened at a path matching `pattern` runs `handler`,
/// which reads ``WebSocket/messages`` and sends with ``WebSocket/send(_:)`` until it returns
/// (then the socket closes normally) or the browser closes. ``requestInfo`` in the handler is the
/// information of the request that opened the socket, with its path parameters.
///
/// For topics, joins and broadcasts use ``channel(_:receiving:join:message:leave:)`` instead.
/// Unlike a channel's handlers, which each event looks up anew, a raw route's handler runs for
/// the whole life of its socket in the code that accepted it: under `rw dev` a save reaches the
/// sockets opened after it.
public func webSocket(_ pattern: String, _ handler: @escaping @Sendable (WebSocket) async throws -> Void) -> AppEntry {
    AppEntry([.webSocket(WebSocketRoute(pattern: RoutePattern(pattern), handler: handler))])
}

/// One raw WebSocket, as its route's handler sees it.
public struct WebSocket: Sendable {
    /// The messages the browser sends, in order; ends when the socket closes.
    public let messages: AsyncStream<SocketMessage>
    let peer: SocketPeer

    /// The socket's id, unique in the process.
    public var id: UInt64 { peer.id }

    /// Queues `message` for the browser; `false` when the socket is closing, or when the queue
    /// went over its bound, which closes the socket (``SocketCloseCode/slowSubscriber``).
    @discardableResult
    public func send(_ message: SocketMessage) -> Bool { peer.send(message) }

    /// Closes the socket normally.
    public func close() { peer.close(.normal) }
}
