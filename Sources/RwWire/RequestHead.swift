public import RwState

/// The head of a request frame: everything of an ``RwRequest`` but its body.
///
/// On the wire (``PayloadWriter``): the method, the target, the number of header fields, then
/// each field's name and value.
public struct RequestHead: Sendable, Equatable {
    /// The HTTP method.
    public var method: RequestMethod
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

    /// The request with this head and `body`.
    public func request(body: [UInt8] = []) -> RwRequest {
        RwRequest(method: method, target: target, headers: Headers(headers), body: body)
    }

    /// Reads a head; throws ``WireError/malformed(_:)``.
    public init(from reader: inout PayloadReader) throws(WireError) {
        method = RequestMethod(try reader.readString())
        target = try reader.readString()
        headers = try reader.readFields()
    }

    /// Writes the head.
    public func write(to writer: inout PayloadWriter) {
        writer.write(method.name)
        writer.write(target)
        writer.write(headers)
    }
}
