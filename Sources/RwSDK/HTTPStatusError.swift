/// An error that ends a request with a chosen status and a message shown to the user, in both
/// development and production (unlike other errors, whose details are shown only in development).
///
/// A client that prefers JSON (see <doc:JSONAPIs>) gets `{"error": message}`; an error
/// made with a `body` is answered with that body as JSON instead (unless the client asks for
/// HTML only); anyone else gets an HTML error page. The app's error handler
/// (`defineApp(onError:)`) may answer differently.
public struct HTTPStatusError: Error, Sendable, CustomStringConvertible {
    /// The status code to answer with.
    public let status: ResponseStatus
    /// A message safe to show to whoever sent the request.
    public let message: String
    /// Header fields added to the error's response, such as `Allow` on a 405.
    public let headers: Headers
    /// The JSON body the error is answered with, encoded with the app's ``JSONOptions``; `nil`
    /// for the default `{"error": message}`.
    public let body: (any Encodable & Sendable)?
    /// The error this one stands for: what a handler threw when the framework answers 500 for it
    /// (or an ``HTTPStatusConvertible`` error), for logging; never shown to the client.
    public internal(set) var cause: (any Error)?

    /// Creates the error.
    public init(_ status: ResponseStatus, _ message: String, headers: Headers = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
        self.body = nil
    }

    /// Creates an error answered with `body` as JSON, such as the app's own error shape.
    public init<Body: Encodable & Sendable>(_ status: ResponseStatus, _ message: String, body: Body, headers: Headers = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
        self.body = body
    }

    public var description: String { "\(status): \(message)" }
}
