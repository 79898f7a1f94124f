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
        encoder.state.output += "}"
        return encoder.state.output
    }

    final class State {
        /// The text so far. Not reserved ahead: up to 15 bytes (`{"start":0}`) stay in the
        /// string itself, without an allocation.
        var output = "{"
        var opened = false
        var first = true
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
            // A second container or a nested one: leave it to JSONEncoder.
            guard !unsupported else { throw Unsupported() }
            let before = state.output.utf8.count
            if !state.first { state.output += "," }
            FlatJSON.appendString(key.stringValue, to: &state.output)
            state.output += ":"
            // A repeated key too: the key just written, `"name":`, is then found earlier in the
            // text. Values cannot make a false match: `":` ends only keys (after a value's
            // closing quote comes `,` or `}`; inside a string a quote is escaped). A key holding
            // an escaped quote can (`"x\"name":`); JSONEncoder then writes the object, which is
            // only slower.
            if !state.first, state.output.withUTF8({ Self.repeats($0, from: before + 1, before: before) }) {
                throw Unsupported()
            }
            state.first = false
        }

        /// Whether `text[suffixStart...]` also occurs in `text[..<end]`.
        private static func repeats(_ text: UnsafeBufferPointer<UInt8>, from suffixStart: Int, before end: Int) -> Bool {
            let suffix = UnsafeBufferPointer(rebasing: text[suffixStart...])
            guard suffix.count <= end else { return false }
            for start in 0...(end - suffix.count) where text[start] == suffix[0] {
                if memcmp(text.baseAddress! + start, suffix.baseAddress!, suffix.count) == 0 { return true }
            }
            return false
        }

        mutating func encodeNil(forKey key: Key) throws { throw Unsupported() }
        mutating func encode(_ value: Bool, forKey key: Key) throws {
            try self.key(key)
            state.output += value ? "true" : "false"
        }
        mutating func encode(_ value: String, forKey key: Key) throws {
            try self.key(key)
            FlatJSON.appendString(value, to: &state.output)
        }
        mutating func encode(_ value: Int, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: Int8, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: Int16, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: Int32, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: Int64, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: UInt, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: UInt8, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: UInt16, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: UInt32, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
        mutating func encode(_ value: UInt64, forKey key: Key) throws {
            try self.key(key)
            state.output += String(value)
        }
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
                escape = "\\u00" + String(decoding: [Hex.digit(byte >> 4), Hex.digit(byte & 0xF)], as: UTF8.self)
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
