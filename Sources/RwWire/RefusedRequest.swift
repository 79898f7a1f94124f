public import RwState

/// A request the front refused before reading its body (a body over the size limit), sent to the
/// runner so that the app answers it as an error: its `onError` handler and around-middleware see
/// it, as they do in production.
///
/// On the wire (a ``Frame/Kind/refused`` frame): the request's ``RequestHead``, the status, then
/// the message.
public struct RefusedRequest: Sendable, Equatable {
    /// The request's head (its body was never read).
    public var head: RequestHead
    /// The status the front refused it with, such as 413.
    public var status: ResponseStatus
    /// Why, in a sentence for the client.
    public var message: String

    /// A refusal of `request` with `status`.
    public init(_ request: RwRequest, status: ResponseStatus, message: String) {
        head = RequestHead(request)
        self.status = status
        self.message = message
    }

    /// The refused request, without a body.
    public var request: RwRequest { head.request() }

    /// The payload.
    public func encoded() -> [UInt8] {
        var writer = PayloadWriter()
        head.write(to: &writer)
        writer.write(UInt32(clamping: status.code))
        writer.write(message)
        return writer.bytes
    }

    /// Reads a payload; throws ``WireError/malformed(_:)``.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        var reader = PayloadReader(bytes)
        head = try RequestHead(from: &reader)
        status = ResponseStatus(Int(try reader.readUInt32()))
        message = try reader.readString()
    }
}
