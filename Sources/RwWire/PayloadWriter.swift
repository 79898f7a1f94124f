public import RwState

/// Appends the binary fields of request and response heads to a payload: big-endian `UInt32`s,
/// and strings as a `UInt32` byte count followed by their UTF-8 bytes.
public struct PayloadWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// An empty payload with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `value` big-endian.
    public mutating func write(_ value: UInt32) {
        WireCodec.appendUInt32(value, to: &bytes)
    }

    /// Appends `string`'s UTF-8 byte count, then the bytes.
    public mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends the number of `fields`, then each field's name and value.
    public mutating func write(_ fields: [Headers.Field]) {
        write(UInt32(fields.count))
        for field in fields {
            write(field.name)
            write(field.value)
        }
    }

    /// Appends `raw` as it is (a body: the rest of the payload).
    public mutating func append(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }
}
