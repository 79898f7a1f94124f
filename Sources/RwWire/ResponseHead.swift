public import RwState

/// The head of a response frame: everything of an ``RwResponse`` but its body.
public struct ResponseHead: Codable, Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The header fields, in order.
    public var headers: [Headers.Field]

    /// The head of `response`.
    public init(_ response: RwResponse) {
        status = response.status
        headers = response.headers.fields
    }
}
