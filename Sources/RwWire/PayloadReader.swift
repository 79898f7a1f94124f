public import RwState

/// Reads back what a ``PayloadWriter`` wrote, checking every length against the bytes there are:
/// a short or inconsistent payload is a ``WireError/malformed(_:)``, never a crash.
public struct PayloadReader: Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    /// A reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads a big-endian `UInt32`.
    public mutating func readUInt32() throws(WireError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw .malformed("payload ends inside a number at byte \(offset)") }
        defer { offset += 4 }
        return WireCodec.readUInt32(bytes, at: offset)
    }

    /// Reads a byte count and that many bytes as UTF-8 (invalid sequences become U+FFFD).
    public mutating func readString() throws(WireError) -> String {
        let count = Int(try readUInt32())
        guard bytes.count - offset >= count else {
            throw .malformed("string of \(count) bytes at byte \(offset) of a \(bytes.count)-byte payload")
        }
        defer { offset += count }
        return String(decoding: bytes[offset..<(offset + count)], as: UTF8.self)
    }

    /// Reads a count of header fields and the fields, each a name and a value.
    public mutating func readFields() throws(WireError) -> [Headers.Field] {
        let count = Int(try readUInt32())
        // Each field takes at least 8 bytes: a count does not make the reader reserve memory
        // the payload cannot fill.
        guard count <= (bytes.count - offset) / 8 else { throw .malformed("\(count) header fields in \(bytes.count - offset) bytes") }
        var fields = [Headers.Field]()
        fields.reserveCapacity(count)
        for _ in 0..<count {
            let name = try readString()
            fields.append(Headers.Field(name: name, value: try readString()))
        }
        return fields
    }

    /// The bytes not read yet (a body).
    public mutating func readRest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}
