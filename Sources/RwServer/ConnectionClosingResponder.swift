import HTTPTypes
public import Hummingbird
import NIOCore

/// Closes an HTTP/1.1 connection after a response that carries `Connection: close`, as
/// RFC 9112 §9.6 requires of the server. Hummingbird itself closes only when the *request* asked
/// for it, so without this a 413 for an oversized body would go on reading (and discarding) the
/// rest of that body, however long, and keep the connection open.
///
/// The close is lingering: once the response's last part is written the sending side is shut
/// (the client sees the response and then end of stream), and the connection is closed
/// completely `linger` later, so a client still uploading gets to read the response instead of
/// a reset. Other responses pass through untouched: the check is one look at their header
/// fields, done in the responder rather than by a channel handler every response part would
/// pass through.
public struct ConnectionClosingResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == ServerRequestContext {
    public typealias Context = ServerRequestContext

    let inner: Inner
    let linger: TimeAmount

    /// Wraps `inner`; `linger` is how long input is still read after a closing response.
    public init(_ inner: Inner, linger: TimeAmount = .seconds(2)) {
        self.inner = inner
        self.linger = linger
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        var response = try await inner.respond(to: request, context: context)
        // `contains` first: reading the field joins its values into a new string.
        guard response.headers.contains(.connection), response.headers[.connection].map(Self.saysClose) == true else {
            return response
        }
        let body = response.body
        let channel = context.channel
        let linger = linger
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            // The response's parts and the closes go to the channel's event loop in this order.
            try await body.write(writer)
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
        }
        return response
    }

    private static func saysClose(_ value: String) -> Bool {
        value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "close" }
    }
}
