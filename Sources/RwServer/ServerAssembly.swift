import Foundation
package import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
package import Logging
package import NIOCore
import ServiceLifecycle
import UnixSignals

/// How every RwSDK HTTP server is put together, so that `serve(_:)` in production and `rw dev`'s
/// front behave the same at the HTTP level.
///
/// The application runs Hummingbird's HTTP/1.1 server with its default head limits (80 KiB of
/// header fields, 1000 fields), closes connections that go `idleTimeout` without a complete
/// request part (never while a response is being written, so streamed pages and event streams
/// stay open), closes a connection after a response that carries `Connection: close` (such as
/// the 413 for an oversized body, which the responders enforce), and serves files from
/// `publicDirectory` for GET and HEAD requests `responder` answers with 404. On shutdown
/// (SIGTERM or SIGINT) the listener closes, idle connections close at once, and the others close
/// once the responses to the requests they have read are written, or `shutdownBound` after the
/// signal at the latest (``DrainingCloseHandler``).
package enum ServerAssembly {
    /// The application serving `responder` on `host`:`port` with the event loops of
    /// `eventLoopGroup`; `onListening` gets the port actually bound (the chosen one when `port`
    /// is 0) once it listens. A shutdown waits at most `shutdownBound` for a connection's
    /// responses in flight. With `sockets`, a connection's first request may be upgraded to a
    /// WebSocket (pinged while idle, closed with 1001 on shutdown); the HTTP idle timeout and
    /// the draining close then no longer apply to it. Before its first request, such a connection
    /// is guarded as a plain one is (``FirstRequestGuard``).
    package static func application<Inner: HTTPResponder>(
        responder: Inner,
        host: String,
        port: Int,
        publicDirectory: String,
        idleTimeout: TimeAmount?,
        shutdownBound: TimeAmount = DrainingCloseHandler.defaultBound,
        serverName: String,
        sockets: (any SocketServing)? = nil,
        eventLoopGroup: EventLoopGroupProvider = .singleton,
        logger: Logger,
        onListening: @escaping @Sendable (_ port: Int) -> Void
    ) -> Application<ConnectionClosingResponder<PublicFilesResponder<Inner>>> where Inner.Context == ServerRequestContext {
        Application(
            responder: ConnectionClosingResponder(PublicFilesResponder(directory: publicDirectory, inner: responder, logger: logger)),
            server: server(idleTimeout: idleTimeout, shutdownBound: shutdownBound, sockets: sockets),
            configuration: .init(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            eventLoopGroupProvider: eventLoopGroup,
            logger: logger
        )
    }

    private static func server(idleTimeout: TimeAmount?, shutdownBound: TimeAmount, sockets: (any SocketServing)?) -> HTTPServerBuilder {
        // Added after the HTTP codec and before Hummingbird's connection state handler, so it
        // takes the quiesce event first.
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [DrainingCloseHandler(bound: shutdownBound)], idleTimeout: idleTimeout)
        guard let sockets else { return .http1(configuration: http1) }
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: http1,
            ws: .init(maxFrameSize: sockets.limits.maxMessageSize, autoPing: .enabled(timePeriod: sockets.limits.pingInterval))
        )
        return HTTPServerBuilder { responder in
            UpgradableHTTPChannel(
                upgrading: HTTP1WebSocketUpgradeChannel(
                    responder: responder,
                    configuration: configuration,
                    shouldUpgrade: { head, channel, _ in await sockets.shouldUpgrade(head, channel: channel) }
                ),
                idleTimeout: idleTimeout
            )
        }
    }

    /// Runs `application` until it stops (SIGTERM or SIGINT shut it down gracefully); a port
    /// already in use ends it with ``PortInUseError`` (`port` as asked, so 0 never is). With
    /// `sockets`, the shutdown first closes the app's sockets with 1001 (going away) and waits
    /// for them (``SocketShutdown``), then stops the HTTP server.
    package static func run(_ application: some ApplicationProtocol, host: String, port: Int, sockets: SocketUpgrade? = nil) async throws {
        let services: [any Service] = [application] + (sockets.map { [SocketShutdown(sockets: $0)] } ?? [])
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: application.logger))
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw PortInUseError(host: host, port: port)
        }
    }
}
