/// An HTTP request as the framework sees it, independent of any server library.
///
/// It is defined in the state module so that the same type crosses every generation of reloaded
/// code.
public struct RwRequest: Sendable {
    /// The method, such as `GET` or `POST` (always upper case).
    public var method: RequestMethod
    /// The path, starting with `/`, without the query.
    public var path: String
    /// The query (without the leading `?`; empty when there is none), read by name:
    /// `request.query["page"]`, `request.query.values(for: "tag")`.
    public var query: QueryParameters
    /// The request's header fields.
    public var headers: Headers
    /// The request body (empty for requests without one).
    public var body: [UInt8]

    /// Creates a request. `target` is the request target: a path optionally followed by `?query`.
    public init(method: RequestMethod, target: String, headers: Headers = [:], body: [UInt8] = []) {
        self.method = method
        // Looked for among the UTF-8 bytes, not the characters (which cost a grapheme break
        // check per step); `?` is ASCII, so its index is a valid character boundary.
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            self.path = String(target[..<mark])
            self.query = QueryParameters(String(target[target.index(after: mark)...]))
        } else {
            self.path = target
            self.query = ""
        }
        if self.path.isEmpty { self.path = "/" }
        self.headers = headers
        self.body = body
    }

    /// The request target: path plus `?query` when there is a query.
    public var target: String { query.isEmpty ? path : path + "?" + query.raw }
}
