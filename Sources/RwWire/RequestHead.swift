public import RwState

/// The head of a request frame: everything of an ``RwRequest`` but its body.
public struct RequestHead: Codable, Sendable, Equatable {
    /// The HTTP method.
    public var method: String
    /// The request target: path, then `?` and the query when there is one.
    public var target: String
    /// The header fields, in order.
    public var headers: [Headers.Field]

    /// The head of `request`.
    public init(_ request: RwRequest) {
        method = request.method
        target = request.target
        headers = request.headers.fields
    }
}
