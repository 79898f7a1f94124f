import HTTPTypes
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import RwSDK
import RwServer
import RwWire

/// The front's WebSockets: the browser's socket is held here, and its messages travel to the
/// runner over the wire as a stream of their own, so a reload (which replaces the runner's
/// generation, not the runner) never closes it.
///
/// An upgrade (of ``App/socketPath``, or of a raw WebSocket route's path) waits at the gate like
/// a request, then asks the runner to open the socket; one the runner refuses (another origin, a
/// path that is no socket of the app) is not upgraded. When the runner's connection ends (a
/// crash, a restart), its sockets close with ``SocketCloseCode/serviceRestart``, after which
/// `rw.channel` reconnects and rejoins.
struct SocketRelay: SocketServing {
    let session: DevSession
    let gateTimeout: Duration
    let limits = SocketLimits()

    func shouldUpgrade(
        _ head: HTTPRequest, channel: any Channel
    ) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let request = RwRequest(head: head)
        guard await session.gate.pass(timeout: gateTimeout),
            let socket = await session.runner.openSocket(request)
        else { return .dontUpgrade }
        return .upgrade([:]) { inbound, outbound, _ in
            async let passed: Void = Self.pass(socket, to: outbound)
            do {
                for try await message in inbound.messages(maxSize: limits.maxMessageSize) {
                    try await socket.send(SocketMessage(message))
                }
            } catch {
                // Too large (the WebSocket handler closes it), or the runner went away.
            }
            socket.close()
            await passed
        }
    }

    /// Writes the runner's messages to the browser until the runner closes the socket (with the
    /// runner's code) or its connection ends (with ``SocketCloseCode/serviceRestart``).
    private static func pass(_ socket: RunnerSocket, to outbound: WebSocketOutboundWriter) async {
        var code = SocketCloseCode.serviceRestart.rawValue
        for await frame in socket.frames {
            switch frame.kind {
            case .socketMessage:
                guard let message = try? SocketMessage(wireBytes: frame.payload) else { continue }
                switch message {
                case .text(let text): try? await outbound.write(.text(text))
                case .binary(let bytes): try? await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                }
                socket.passedOn(message.byteCount)
            case .credit:
                socket.granted(frame)
            case .socketClose:
                code = (try? frame.decode(SocketClosing.self).code) ?? SocketCloseCode.normal.rawValue
            default:
                break
            }
        }
        socket.stopSending()
        // After the browser's own close this does nothing.
        try? await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: nil)
    }
}
