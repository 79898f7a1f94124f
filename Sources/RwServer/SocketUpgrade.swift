package import HTTPTypes
package import HummingbirdWebSocket
import Logging
package import NIOCore
import NIOWebSocket
package import RwSDK

/// Upgrades an app's socket requests to WebSockets (hummingbird-websocket) and serves them:
/// the channel socket's messages go to ``App/receive(_:from:)`` one at a time, a raw route's to
/// its handler; what the app sends leaves through the socket's bounded queue (``SocketPeer``).
///
/// Upgrade requests for other paths, and refused ones (another `Origin`), are not upgraded:
/// hummingbird-websocket answers them 400 and no socket opens. A plain request for a socket path
/// reaches the app, which answers 403 for another origin and 426 otherwise.
package struct SocketUpgrade: SocketServing {
    package typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    let app: App
    package init(app: App, limits: SocketLimits) {
        self.app = app
        self.limits = limits
    }
    package let limits: SocketLimits

    /// Whether `head` is upgraded, and the handler of the socket when it is.
    package func shouldUpgrade(_ head: HTTPRequest, channel: any Channel) async -> ShouldUpgradeResult<Handler> {
        let request = RwRequest(head: head)
        guard case .success(let kind) = app.socketKind(for: request) else { return .dontUpgrade }
        return .upgrade([:]) { inbound, outbound, _ in
            await serve(kind, request: request, inbound: inbound, outbound: outbound, channel: channel)
        }
    }

    private func serve(
        _ kind: App.SocketKind, request: RwRequest, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel
    ) async {
        let params: [String: String] = if case .route(_, let params) = kind { params } else { [:] }
        let peer = await app.openSocket(request, params: params, maxQueuedMessages: limits.maxQueuedMessages, maxQueuedBytes: limits.maxQueuedBytes)
        async let written: Void = Self.write(peer, to: outbound)
        // A socket that is closing but whose writer is stuck (its browser does not read, so the
        // close frame cannot leave either) loses its connection after the grace period.
        // It is cancelled when this function returns (the socket ended within the grace period).
        async let _: Void = Self.closeWhenStuck(peer, channel: channel, grace: limits.closeGrace)
        switch kind {
        case .channels:
            do {
                for try await message in inbound.messages(maxSize: limits.maxMessageSize) {
                    await app.receive(SocketMessage(message), from: peer)
                }
            } catch {
                // Too large, or the connection failed: the WebSocket handler closes it.
            }
        case .route(let route, _):
            let (messages, continuation) = AsyncStream.makeStream(of: SocketMessage.self, bufferingPolicy: .bufferingOldest(limits.maxQueuedMessages))
            async let handled: Void = app.runWebSocket(route, peer: peer, messages: messages)
            do {
                for try await message in inbound.messages(maxSize: limits.maxMessageSize) {
                    continuation.yield(SocketMessage(message))
                }
            } catch {}
            continuation.finish()
            await handled
        }
        peer.close(.normal)
        await written
        await app.closeSocket(peer)
    }

    /// Closes the app's sockets (every socket of the process's ``SocketHub``) with `code`; each
    /// sends its close frame after what it had queued, and ends once the browser answers it, or
    /// `limits.closeGrace` later (``closeWhenStuck(_:channel:grace:)``). Returns once all have
    /// ended, or after `bound`.
    package func closeSockets(_ code: SocketCloseCode, within bound: Duration) async {
        guard socketHub.closeAll(code) > 0 else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await socketHub.allClosed() }
            group.addTask { try? await Task.sleep(for: bound) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Writes what `peer` queues until it closes, then sends the close frame.
    private static func write(_ peer: SocketPeer, to outbound: WebSocketOutboundWriter) async {
        do {
            while true {
                switch await peer.next() {
                case .write(.text(let text)): try await outbound.write(.text(text))
                case .write(.binary(let bytes)): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                case .wait: continue
                case .close(let code):
                    try await outbound.close(WebSocketErrorCode(codeNumber: Int(code.rawValue)), reason: nil)
                    return
                }
            }
        } catch {
            // The connection is gone; the reader ends too.
        }
    }

    /// Once `peer` is closing, gives its close frame `grace` to leave, then closes the connection.
    private static func closeWhenStuck(_ peer: SocketPeer, channel: any Channel, grace: Duration) async {
        _ = await peer.closed()
        do {
            try await Task.sleep(for: grace)
        } catch {
            return  // The socket ended within the grace period.
        }
        channel.close(promise: nil)
    }
}

extension SocketMessage {
    /// The message `message` carries.
    package init(_ message: WebSocketMessage) {
        switch message {
        case .text(let text): self = .text(text)
        case .binary(let buffer): self = .binary(Array(buffer: buffer))
        }
    }
}
