/// An HTTP response as the framework produces it, independent of any server library.
///
/// It is defined in the state module so that the same type crosses every generation of reloaded
/// code.
public struct RwResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The response's header fields.
    public var headers: Headers
    /// The complete body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int = 200, headers: Headers = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response whose body is `text` encoded as UTF-8.
    public init(status: Int = 200, headers: Headers = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}
