import Foundation
import Logging

extension App {
    /// The path of the app's channel socket (`rw.channel` in the browser connects there).
    public static let socketPath = RwPaths.socket

    /// Whether the app declares channels or WebSocket routes, so its server takes WebSocket
    /// upgrades.
    package var hasSockets: Bool { !channels.isEmpty || !webSockets.isEmpty }

    /// What a socket opened at a request's path would be.
    package enum SocketKind: Sendable {
        /// The channel socket, at ``App/socketPath`` (the app declares channels).
        case channels
        /// A raw WebSocket route with the path's parameters.
        case route(WebSocketRoute, params: [String: String])
    }

    /// Whether a WebSocket upgrade `request` opens one of the app's sockets: `nil` when its path
    /// is no socket of the app; a failure (403) when its `Origin` is not the app's own, so that a
    /// page of another site cannot open a socket carrying the visitor's cookies. A request
    /// without `Origin` (not from a browser) is taken.
    package func socketKind(for request: RwRequest) -> Result<SocketKind, HTTPStatusError>? {
        let kind: SocketKind
        if request.path == Self.socketPath, !channels.isEmpty {
            kind = .channels
        } else if let parts = RoutePattern.parts(of: request.path),
            let (route, params) = webSockets.lazy.compactMap({ route in route.pattern.match(parts: parts).map { (route, $0) } }).first
        {
            kind = .route(route, params: params)
        } else {
            return nil
        }
        if let origin = request.headers["Origin"], !Self.isSameOrigin(origin, host: request.headers["Host"]) {
            return .failure(HTTPStatusError(403, "Cross-origin WebSocket from \(origin) refused."))
        }
        return .success(kind)
    }

    /// The answer to a request for a socket path that was not upgraded: 403 for another origin,
    /// else 426 (the path takes WebSocket upgrades only); `nil` when the path is no socket.
    func socketRefusal(for request: RwRequest) -> HTTPStatusError? {
        switch socketKind(for: request) {
        case nil: nil
        case .failure(let error): error
        case .success: HTTPStatusError(426, "This path takes WebSocket upgrades only.", headers: ["Upgrade": "websocket"])
        }
    }

    /// How many messages a socket queues, each way, when the server gives no other bound.
    package static let defaultMaxQueuedMessages = 256

    /// Opens a socket for the upgrade `request` (taken by ``socketKind(for:)``): loads the
    /// visitor's session and registers the socket, whose send queue holds at most
    /// `maxQueuedMessages` messages and `maxQueuedBytes` bytes.
    package func openSocket(
        _ request: RwRequest, params: [String: String] = [:], maxQueuedMessages: Int = App.defaultMaxQueuedMessages, maxQueuedBytes: Int = 1 << 20
    ) async
        -> SocketPeer
    {
        let info = RequestInfo(request: request, params: params)
        if let token = request.cookies[sessions.cookieName], let values = try? await sessions.store.load(token) {
            _ = info.session(orMake: { Session(values: values, token: token) })
        }
        let peer = SocketPeer(info: info, maxQueuedMessages: maxQueuedMessages, maxQueuedBytes: maxQueuedBytes)
        socketHub.add(peer)
        return peer
    }

    /// Runs a raw WebSocket route's handler for `peer` with the browser's `messages`; closes the
    /// socket normally when the handler returns (or with ``SocketCloseCode/goingAway`` when it
    /// throws, which is logged).
    package func runWebSocket(_ route: WebSocketRoute, peer: SocketPeer, messages: AsyncStream<SocketMessage>) async {
        await withRequestInfo(peer.info) {
            do {
                try await route.handler(WebSocket(messages: messages, peer: peer))
                peer.close(.normal)
            } catch {
                Logger(label: "rw.socket").error("WebSocket handler of \(peer.info.request.path) failed: \(error)")
                peer.close(.goingAway)
            }
        }
    }

    /// Handles one message a browser sent on the channel socket `peer`: a `join`, `message` or
    /// `leave` frame, dispatched to this app's channel for the topic. The channel is looked up
    /// here, on every event, so the app current when the message arrives answers it. A frame that
    /// cannot be taken is answered with an `error` frame; the socket stays open.
    package func receive(_ message: SocketMessage, from peer: SocketPeer) async {
        guard case .text(let text) = message else {
            peer.send(Self.reply(.error(nil, reason: "channel frames are JSON text")))
            return
        }
        let bytes = Array(text.utf8)
        guard let head = try? JSONDecoder().decode(ChannelFrame.Head.self, from: Data(bytes)) else {
            peer.send(Self.reply(.error(nil, reason: "not a channel frame")))
            return
        }
        guard let (channel, subtopic) = channel(for: head.topic) else {
            peer.send(
                Self.reply(
                    head.type == .join
                        ? .refused(head.topic, ref: head.ref, reason: "no channel takes this topic")
                        : .error(head.topic, reason: "no channel takes this topic")))
            return
        }
        let event = ChannelEvent(topic: head.topic, subtopic: subtopic, peer: peer)
        await withRequestInfo(peer.info) {
            switch head.type {
            case .join:
                await join(event, channel: channel, ref: head.ref)
            case .message:
                guard peer.hasJoined(head.topic) else {
                    peer.send(Self.reply(.error(head.topic, reason: "join the topic before sending to it")))
                    return
                }
                do {
                    try await channel.message(event, bytes)
                } catch let error as ChannelFrameError {
                    peer.send(Self.reply(.error(head.topic, reason: error.reason)))
                } catch {
                    Logger(label: "rw.socket").error("channel \(head.topic): message handler failed: \(error)")
                    peer.send(Self.reply(.error(head.topic, reason: "the message handler failed")))
                }
            case .leave:
                guard peer.leave(head.topic) else { return }
                socketHub.unsubscribe(peer, from: head.topic)
                await channel.leave(event)
                peer.send(Self.reply(.left(head.topic)))
            }
        }
    }

    private func join(_ event: ChannelEvent, channel: ChannelDefinition, ref: Int?) async {
        let peer = event.peer
        guard peer.join(event.topic) else {
            peer.send(Self.reply(.joined(event.topic, ref: ref)))
            return
        }
        do {
            try await channel.join(event)
        } catch {
            peer.leave(event.topic)
            let reason = (error as? ChannelRefusal)?.reason ?? "join refused"
            peer.send(Self.reply(.refused(event.topic, ref: ref, reason: reason)))
            return
        }
        socketHub.subscribe(peer, to: event.topic)
        peer.send(Self.reply(.joined(event.topic, ref: ref)))
    }

    /// Ends the socket `peer` once its connection is gone: removes it from every topic and runs
    /// the `leave` handler of each topic it had joined, as this app's channels define them.
    package func closeSocket(_ peer: SocketPeer) async {
        socketHub.remove(peer)
        peer.close(.normal)
        let topics = peer.topics
        guard !topics.isEmpty else { return }
        await withRequestInfo(peer.info) {
            for topic in topics {
                guard let (channel, subtopic) = channel(for: topic) else { continue }
                await channel.leave(ChannelEvent(topic: topic, subtopic: subtopic, peer: peer))
                peer.leave(topic)
            }
        }
    }

    /// The first channel whose pattern matches `topic`, with what its `*` matched.
    private func channel(for topic: String) -> (ChannelDefinition, String)? {
        for channel in channels {
            if let subtopic = channel.pattern.match(topic) { return (channel, subtopic) }
        }
        return nil
    }

    private static func reply(_ reply: ChannelFrame.Reply) -> SocketMessage {
        // A reply holds only strings and integers, so encoding cannot fail.
        (try? ChannelFrame.text(reply)) ?? .text("{\"type\":\"error\"}")
    }
}
