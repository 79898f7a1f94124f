/// Cuts a byte stream into ``Frame``s: bytes go in as they arrive, whole frames come out.
///
/// A header with an unknown kind or a payload longer than ``Frame/maxPayload`` is
/// ``WireError/malformed(_:)``; after that the stream cannot be resynchronized, and the decoder
/// keeps throwing.
public struct FrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    private var failure: WireError?

    /// An empty decoder.
    public init() {}

    /// Adds bytes received from the peer.
    public mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Whether bytes of an incomplete frame are waiting for the rest.
    public var hasPartialFrame: Bool { start < buffer.count }

    /// The next complete frame, or `nil` when more bytes are needed.
    public mutating func next() throws(WireError) -> Frame? {
        if let failure { throw failure }
        guard buffer.count - start >= Frame.headerSize else { return nil }
        guard let kind = Frame.Kind(rawValue: buffer[start]) else {
            return try fail(.malformed("unknown frame kind \(buffer[start])"))
        }
        let stream = WireCodec.readUInt32(buffer, at: start + 1)
        let length = Int(WireCodec.readUInt32(buffer, at: start + 5))
        guard length <= Frame.maxPayload else {
            return try fail(.malformed("payload of \(length) bytes, more than \(Frame.maxPayload)"))
        }
        let payloadStart = start + Frame.headerSize
        guard buffer.count - payloadStart >= length else { return nil }
        let frame = Frame(kind, stream: stream, Array(buffer[payloadStart..<(payloadStart + length)]))
        start = payloadStart + length
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return frame
    }

    private mutating func fail(_ error: WireError) throws(WireError) -> Frame? {
        failure = error
        throw error
    }
}
