public import RwState

/// The head of a response frame: everything of an ``RwResponse`` but its body.
///
/// On the wire (``PayloadWriter``): the status code, the number of header fields, then each
/// field's name and value.
public struct ResponseHead: Sendable, Equatable {
    /// The HTTP status.
    public var status: ResponseStatus
    /// The header fields, in order.
    public var headers: [Headers.Field]

    /// The head of `response`.
    public init(_ response: RwResponse) {
        status = response.status
        headers = response.headers.fields
    }

    /// Reads a head; throws ``WireError/malformed(_:)``.
    public init(from reader: inout PayloadReader) throws(WireError) {
        status = ResponseStatus(Int(try reader.readUInt32()))
        headers = try reader.readFields()
    }

    /// Writes the head.
    public func write(to writer: inout PayloadWriter) {
        writer.write(UInt32(clamping: status.code))
        writer.write(headers)
    }
}
