package import NIOCore
package import NIOHTTPTypes

/// Closes an HTTP/1.1 connection of a server shutting down only once the responses to the
/// requests it has read are written to the socket, so a response in flight arrives whole.
///
/// It takes the server's `ChannelShouldQuiesceEvent` (which it does not pass on): a connection
/// with no request pending closes at once; otherwise it closes when the last pending response's
/// end has been written (its write completed, not merely passed down the pipeline, since a large
/// body can still be queued in the channel), and at the latest `bound` after the event, so a
/// client that never reads cannot hold the shutdown. It sits between the HTTP codec and
/// Hummingbird's connection state handler, which would otherwise close the connection as soon as
/// the response's end passes it, dropping what is still queued.
package final class DrainingCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPRequestPart
    package typealias InboundOut = HTTPRequestPart
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    /// The default bound, 10 seconds: how long a shutdown waits for a connection's responses.
    package static let defaultBound: TimeAmount = .seconds(10)

    private let bound: TimeAmount
    private var state = StateMachine()
    private var closing: Scheduled<Void>?

    /// A handler that waits at most `bound` for the responses in flight once the server quiesces.
    package init(bound: TimeAmount = DrainingCloseHandler.defaultBound) {
        self.bound = bound
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { state.readRequestHead() }
        context.fireChannelRead(data)
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        let written = promise ?? context.eventLoop.makePromise()
        written.futureResult.assumeIsolated().whenComplete { _ in
            self.act(self.state.wroteResponseEnd(), context: context)
        }
        context.write(data, promise: written)
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        act(state.quiesce(), context: context)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        cancelClosing()
        context.fireChannelInactive()
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        cancelClosing()
    }

    private func act(_ action: StateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .close:
            cancelClosing()
            context.close(promise: nil)
        case .closeAtTheLatestWhenTheBoundPasses:
            closing = context.eventLoop.assumeIsolated().scheduleTask(in: bound) {
                self.closing = nil
                context.close(promise: nil)
            }
        }
    }

    private func cancelClosing() {
        closing?.cancel()
        closing = nil
    }
}

@available(*, unavailable)
extension DrainingCloseHandler: Sendable {}
