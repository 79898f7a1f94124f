import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// hummingbird-websocket's HTTP/1.1 channel with WebSocket upgrades, with ``FirstRequestGuard``
/// after its HTTP decoder, so a server with sockets keeps the plain HTTP/1.1 pipeline's
/// protections before a connection's first request (a 400 for a malformed head, the idle
/// timeout, the close on shutdown). After the first head, the channel's own pipeline (the same
/// handlers as the plain one) or the WebSocket serves the connection.
struct UpgradableHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let upgrading: HTTP1WebSocketUpgradeChannel
    let idleTimeout: TimeAmount?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let idleTimeout = idleTimeout
        return upgrading.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(FirstRequestGuard(idleTimeout: idleTimeout), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await upgrading.handle(value: value, logger: logger)
    }
}
