import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes an HTTP/1.1 connection after a response that carries `Connection: close`, as
/// RFC 9112 §9.6 requires of the server. Hummingbird itself closes only when the *request* asked
/// for it, so without this a 413 for an oversized body would go on reading (and discarding) the
/// rest of that body, however long, and keep the connection open.
///
/// The close is lingering: once the response is flushed the sending side is shut (the client sees
/// the response and then end of stream), and the connection is closed completely `linger` later,
/// so a client still uploading gets to read the response instead of a reset.
final class CloseAfterResponseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let linger: TimeAmount
    private var closeAfterEnd = false

    /// Creates the handler; `linger` is how long input is still read after the response.
    init(linger: TimeAmount = .seconds(2)) {
        self.linger = linger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            // `contains` first: reading the field joins its values into a new string.
            closeAfterEnd = head.headerFields.contains(.connection) && head.headerFields[.connection].map(Self.saysClose) ?? false
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterEnd else {
                context.write(data, promise: promise)
                return
            }
            closeAfterEnd = false
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(data, promise: written)
            let linger = self.linger
            written.futureResult.assumeIsolated().whenComplete { _ in
                context.close(mode: .output, promise: nil)
                context.eventLoop.assumeIsolated().scheduleTask(in: linger) {
                    context.close(promise: nil)
                }
            }
            written.futureResult.cascade(to: promise)
        }
    }

    private static func saysClose(_ value: String) -> Bool {
        value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "close" }
    }
}
