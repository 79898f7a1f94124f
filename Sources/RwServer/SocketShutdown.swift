import ServiceLifecycle

/// The service that closes the app's sockets when the server shuts down, before the HTTP server
/// stops: ``ServerAssembly/run(_:host:port:sockets:)`` lists it after the application, and a
/// service group shuts its services down in reverse order, each once the one after it returned.
/// So every socket gets its close frame with ``SocketCloseCode/goingAway`` (1001), on which the
/// browser client reconnects (to another instance, or to this one once it is back), instead of
/// the WebSocket library's own close on shutdown (1000).
struct SocketShutdown: Service {
    let sockets: SocketUpgrade

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // Cancelled: the group is going away without a graceful shutdown.
        }
        await sockets.closeSockets(.goingAway, within: sockets.limits.closeGrace)
    }
}
