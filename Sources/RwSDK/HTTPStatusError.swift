/// An error that ends a request with a chosen status and a message shown to the user, in both
/// development and production (unlike other errors, whose details are shown only in development).
public struct HTTPStatusError: Error, Sendable, CustomStringConvertible {
    /// The status code to answer with.
    public let status: Int
    /// A message safe to show to whoever sent the request.
    public let message: String
    /// Header fields added to the error's response, such as `Allow` on a 405.
    public let headers: Headers

    /// Creates the error.
    public init(_ status: Int, _ message: String, headers: Headers = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status): \(message)" }
}
