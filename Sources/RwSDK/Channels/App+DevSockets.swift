extension App {
    /// The app's sockets as a dev runner serves them (the generated entry point of an app image
    /// passes them to ``ImageEntry``), after the same origin check as in production.
    ///
    /// - The channel socket at ``App/socketPath``: each message is handled by the generation
    ///   current when it arrives.
    /// - A raw WebSocket route: its handler runs for the socket's whole life in the generation
    ///   that accepted it (as ``webSocket(_:_:)`` says), reading the inbox every generation
    ///   delivers to (`RawSocketInboxes`).
    public var devSockets: ImageEntry.Sockets {
        ImageEntry.Sockets(
            open: { request in
                switch socketKind(for: request) {
                case nil:
                    return .refused(RwResponse(status: 404, text: "No socket at \(request.path).\n"))
                case .failure(let error):
                    return .refused(RwResponse(status: error.status, text: error.message + "\n"))
                case .success(.route(let route, let params)):
                    let peer = await openSocket(request, params: params)
                    // As in production: at most the socket's queue bound of messages waiting for
                    // the handler (the front relays them as the runner grants credit).
                    let limit = App.defaultMaxQueuedMessages
                    let (messages, inbox) = AsyncStream.makeStream(of: SocketMessage.self, bufferingPolicy: .bufferingOldest(limit))
                    rawSocketInboxes.add(inbox, for: peer.id)
                    Task { await runWebSocket(route, peer: peer, messages: messages) }
                    return .open(peer)
                case .success(.channels):
                    return .open(await openSocket(request))
                }
            },
            receive: { message, peer in
                if !rawSocketInboxes.deliver(message, to: peer.id) { await receive(message, from: peer) }
            },
            close: { peer in
                rawSocketInboxes.finish(peer.id)
                await closeSocket(peer)
            },
            listing: { socketHub.listing.map { TopicSubscribers(topic: $0.topic, sockets: $0.sockets) } }
        )
    }
}
