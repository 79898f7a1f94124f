import RwState

#if SWIFT_PACKAGE
import RwWire
#endif

/// One socket the front relays to this runner: its peer (in the state module, so it outlives
/// generations) and the messages waiting for a handler.
struct RelayedSocket: Sendable {
    let peer: SocketPeer
    let inbox: AsyncStream<SocketMessage>.Continuation
}

/// The runner's side of relayed sockets: a ``Frame/Kind/socketOpen`` opens one with the serving
/// generation, then each ``Frame/Kind/socketMessage`` is handled, one at a time and in order, by
/// the generation current when it is taken, so a reload never closes a socket and the next
/// message runs the new code. What the app sends leaves through the socket's bounded queue,
/// at most a credit window ahead of what the front has passed on to the browser.
extension Runner {
    func openSocket(_ frame: Frame) {
        let stream = frame.stream
        guard let request = try? WireCodec.decodeRequest(frame.payload) else {
            return send(RwResponse(status: 400, text: "The runner received a malformed socket request.\n"), stream: stream)
        }
        guard let entry = current.withLock({ $0.entry }) else {
            return send(RwResponse(status: 503, text: "No generation is loaded yet.\n"), stream: stream)
        }
        Task { [self] in
            switch await entry.sockets.open(request) {
            case .refused(let response): send(response, stream: stream)
            case .open(let peer): await serve(peer, on: stream)
            }
        }
    }

    func socketMessage(_ frame: Frame) {
        guard let socket = sockets.withLock({ $0[frame.stream] }) else { return }  // closed meanwhile
        guard let message = try? SocketMessage(wireBytes: frame.payload) else { return socket.peer.close(.protocolError) }
        socket.inbox.yield(message)
    }

    func socketClosed(_ stream: UInt32) {
        sockets.withLock { $0[stream] }?.inbox.finish()
    }

    private func serve(_ peer: SocketPeer, on stream: UInt32) async {
        // Bounded by the front, which sends at most a credit window ahead of the grants below.
        let (inbox, continuation) = AsyncStream.makeStream(of: SocketMessage.self)
        credits.open(stream)
        sockets.withLock { $0[stream] = RelayedSocket(peer: peer, inbox: continuation) }
        send(Frame(.socketOpened, stream: stream))
        async let written: Void = write(peer, on: stream)
        for await message in inbox {
            // Looked up for each message: after a reload, the new generation handles it.
            await current.withLock({ $0.entry })?.sockets.receive(message, peer)
            send(Frame(.credit, stream: stream, json: StreamCredit(bytes: message.byteCount)))
        }
        // The browser went away (or the front closed the socket).
        sockets.withLock { $0[stream] = nil }
        if let entry = current.withLock({ $0.entry }) { await entry.sockets.close(peer) } else { peer.close(.normal) }
        credits.cancel(stream)
        await written
        credits.close(stream)
    }

    /// Sends what `peer` queues, as the front's credit allows, until it closes.
    private func write(_ peer: SocketPeer, on stream: UInt32) async {
        while true {
            switch await peer.next() {
            case .wait: continue
            case .write(let message):
                do {
                    try await credits.take(message.byteCount, on: stream)
                } catch {
                    return  // the front closed the socket
                }
                send(Frame(.socketMessage, stream: stream, message.wireBytes))
            case .close(let code):
                send(Frame(.socketClose, stream: stream, json: SocketClosing(code)))
                return
            }
        }
    }
}
