/// An HTTP response as the framework produces it, independent of any server library.
///
/// It is defined in the state module so that the same type crosses every generation of reloaded
/// code.
public struct RwResponse: Sendable {
    /// The status code.
    public var status: ResponseStatus
    /// The response's header fields.
    public var headers: Headers
    /// The complete body, or, when ``stream`` is set, its first bytes.
    public var body: [UInt8]
    /// The rest of the body, produced after `body` has been sent (a streamed page); `nil` when
    /// `body` is all of it.
    public var stream: RwBodyStream?

    /// Creates a response.
    public init(status: ResponseStatus = .ok, headers: Headers = [:], body: [UInt8] = [], stream: RwBodyStream? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }

    /// Creates a response whose body is `text` encoded as UTF-8.
    public init(status: ResponseStatus = .ok, headers: Headers = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}
