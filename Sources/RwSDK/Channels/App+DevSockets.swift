extension App {
    /// The app's channel sockets as a dev runner serves them (the generated entry point of an
    /// app image passes them to ``ImageEntry``): the channel socket at ``App/socketPath`` opens
    /// after the same origin check as in production; raw WebSocket routes are not relayed and
    /// are refused with 501.
    public var devSockets: ImageEntry.Sockets {
        ImageEntry.Sockets(
            open: { request in
                switch socketKind(for: request) {
                case nil:
                    return .refused(RwResponse(status: 404, text: "No socket at \(request.path).\n"))
                case .failure(let error):
                    return .refused(RwResponse(status: error.status, text: error.message + "\n"))
                case .success(.route):
                    return .refused(RwResponse(status: 501, text: "rw dev relays channel sockets only, not raw WebSocket routes.\n"))
                case .success(.channels):
                    return .open(await openSocket(request))
                }
            },
            receive: { message, peer in await receive(message, from: peer) },
            close: { peer in await closeSocket(peer) },
            listing: { socketHub.listing.map { TopicSubscribers(topic: $0.topic, sockets: $0.sockets) } }
        )
    }
}
