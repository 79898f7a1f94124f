import NIOCore
import NIOHTTP1

/// Gives a connection that may be upgraded to a WebSocket the protections the plain HTTP/1.1
/// pipeline has before its first request: hummingbird-websocket's upgrade pipeline reads the
/// first request head with only the HTTP decoder in place, so without this a malformed head got
/// no answer and a client trickling a head (or saying nothing) held the connection for ever.
///
/// It sits right after the HTTP decoder until the first request head is read: a head the
/// decoder cannot parse gets a 400 with `Connection: close` and the connection closes (nothing
/// after it is read); a connection with no complete head `idleTimeout` after it opened closes;
/// a server shutting down closes it at once. Once the head is read it leaves the pipeline, and
/// the HTTP pipeline's own handlers (idle timeout, draining close, the 400 for a later malformed
/// request) or the WebSocket's take over.
final class FirstRequestGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let idleTimeout: TimeAmount?
    private var state = StateMachine()
    private var idleClose: Scheduled<Void>?

    /// A guard closing a connection that has not sent a whole head `idleTimeout` after it opened
    /// (never with `nil`).
    init(idleTimeout: TimeAmount?) {
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { scheduleIdleClose(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduleIdleClose(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelIdleClose()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelIdleClose()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let action: StateMachine.Action = if case .head = unwrapInboundIn(data) { state.readHead() } else { .none }
        context.fireChannelRead(data)
        act(action, context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let action = state.parseFailed()
        if action == .none { context.fireErrorCaught(error) } else { act(action, context: context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let action = state.quiesce()
        if action == .none { context.fireUserInboundEventTriggered(event) } else { act(action, context: context) }
    }

    private func act(_ action: StateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .stepAside:
            cancelIdleClose()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        case .close:
            cancelIdleClose()
            context.close(promise: nil)
        case .refuse:
            cancelIdleClose()
            let head = HTTPResponseHead(version: .http1_1, status: .badRequest, headers: ["Connection": "close", "Content-Length": "0"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    private func scheduleIdleClose(context: ChannelHandlerContext) {
        guard let idleTimeout, idleClose == nil, state.isAwaitingHead else { return }
        idleClose = context.eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) {
            self.idleClose = nil
            self.act(self.state.idleTimeoutPassed(), context: context)
        }
    }

    private func cancelIdleClose() {
        idleClose?.cancel()
        idleClose = nil
    }
}
