import Foundation

/// Encodes values whose encoding is one flat keyed container of strings, booleans and integers
/// (the usual client component props) straight into JSON text, exactly as `JSONEncoder` with
/// default options writes them; anything else throws `FlatJSON.Unsupported` and the caller falls
/// back to `JSONEncoder`.
enum FlatJSON {
    struct Unsupported: Error {}

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = FlatEncoder()
        try value.encode(to: encoder)
        guard encoder.state.opened else { throw Unsupported() }
        return encoder.state.output + "}"
    }

    final class State {
        var output: String = {
            // Room for a small object, so appending rarely regrows it.
            var output = "{"
            output.reserveCapacity(128)
            return output
        }()
        var opened = false
        var first = true
        /// The keys written so far (few: a linear search costs less than hashing into a set).
        var keys: [String] = []
    }

    struct FlatEncoder: Encoder {
        let state = State()
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let unsupported = state.opened
            state.opened = true
            return KeyedEncodingContainer(Keyed<Key>(state: state, unsupported: unsupported))
        }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { Failing(state: state) }
        func singleValueContainer() -> any SingleValueEncodingContainer { Failing(state: state) }
    }

    /// Containers the flat encoder does not handle: the first use throws.
    struct Failing: UnkeyedEncodingContainer, SingleValueEncodingContainer {
        let state: State
        var codingPath: [any CodingKey] { [] }
        var count: Int { 0 }
        mutating func encodeNil() throws { throw Unsupported() }
        mutating func encode<T: Encodable>(_ value: T) throws { throw Unsupported() }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(state: state, unsupported: true))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
        mutating func superEncoder() -> any Encoder { FlatEncoder() }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let state: State
        let unsupported: Bool
        var codingPath: [any CodingKey] { [] }

        private func key(_ key: Key) throws {
            // A repeated key, a second container or a nested one: leave it to JSONEncoder.
            let name = key.stringValue
            guard !unsupported, !state.keys.contains(name) else { throw Unsupported() }
            state.keys.append(name)
            if !state.first { state.output += "," }
            state.first = false
            FlatJSON.appendString(name, to: &state.output)
            state.output += ":"
        }

        mutating func encodeNil(forKey key: Key) throws { throw Unsupported() }
        mutating func encode(_ value: Bool, forKey key: Key) throws { try self.key(key); state.output += value ? "true" : "false" }
        mutating func encode(_ value: String, forKey key: Key) throws { try self.key(key); FlatJSON.appendString(value, to: &state.output) }
        mutating func encode(_ value: Int, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { try self.key(key); state.output += String(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { throw Unsupported() }
        mutating func encode(_ value: Float, forKey key: Key) throws { throw Unsupported() }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw Unsupported() }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(state: state, unsupported: true))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { Failing(state: state) }
        mutating func superEncoder() -> any Encoder { FlatEncoder() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { FlatEncoder() }
    }

    static func appendString(_ text: String, to output: inout String) {
        output += "\""
        // Most strings need no escape: appended whole.
        if !text.containsByte(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }) {
            output += text
            output += "\""
            return
        }
        var pending = text.utf8.startIndex
        let view = text.utf8
        var index = view.startIndex
        while index != view.endIndex {
            let byte = view[index]
            let escape: String?
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "/"): escape = "\\/"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                escape = "\\u00" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            default: escape = nil
            }
            if let escape {
                output += text[pending..<index]
                output += escape
                pending = view.index(after: index)
            }
            index = view.index(after: index)
        }
        output += text[pending...]
        output += "\""
    }
}
