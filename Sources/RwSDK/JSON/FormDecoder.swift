import Foundation

/// Decodes a `Decodable` value from the fields of an `application/x-www-form-urlencoded` body
/// (as parsed by ``ActionInput``): each property is read from the field of its name, and text is
/// converted to the property's type (numbers, `true`/`false`/`on`, types that decode from one
/// string such as `String`-backed enums); an optional property is `nil` when its field is missing
/// or empty (a blank input). Nested objects and arrays are not supported: they fail as a type
/// mismatch naming the field.
struct FormDecoder {
    let fields: [String: String]
    let keys: JSONOptions.Keys

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: Fields(fields: fields, keys: keys, codingPath: []))
    }

    struct Fields: Decoder {
        let fields: [String: String]
        let keys: JSONOptions.Keys
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(fields: fields, keys: keys, codingPath: codingPath))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a form holds no lists"))
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a form is a set of fields"))
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [String: String]
        let keys: JSONOptions.Keys
        let codingPath: [any CodingKey]

        var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

        private func name(_ key: Key) -> String {
            keys == .snakeCase ? Self.snakeCase(key.stringValue) : key.stringValue
        }

        /// `createdAt` → `created_at`.
        static func snakeCase(_ name: String) -> String {
            var result = ""
            for character in name {
                if character.isUppercase, !result.isEmpty { result += "_" }
                result += character.lowercased()
            }
            return result
        }

        func contains(_ key: Key) -> Bool { fields[name(key)] != nil }

        /// A missing field, and an empty one (a blank input), is `nil` for an optional property.
        func decodeNil(forKey key: Key) throws -> Bool { fields[name(key)]?.isEmpty ?? true }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let text = fields[name(key)] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no field \"\(name(key))\""))
            }
            let field = Text(text: text, codingPath: codingPath + [key])
            return try field.decode(T.self)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath + [key], debugDescription: "a form field holds no object"))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath + [key], debugDescription: "a form field holds no list"))
        }
        func superDecoder() throws -> any Decoder { Fields(fields: fields, keys: keys, codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder { Fields(fields: fields, keys: keys, codingPath: codingPath + [key]) }
    }

    /// One field's text, read as whatever single value the property's type asks for.
    struct Text: Decoder, SingleValueDecodingContainer {
        let text: String
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "a form field holds no object"))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a form field holds no list"))
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { false }

        private func parse<T>(_ type: T.Type, _ value: T?) throws -> T {
            guard let value else {
                throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath, debugDescription: "\"\(text)\" is not a \(T.self)"))
            }
            return value
        }

        func decode(_ type: Bool.Type) throws -> Bool {
            switch text.lowercased() {
            case "true", "on", "1", "yes": true
            case "false", "off", "0", "no", "": false
            default: try parse(Bool.self, nil)
            }
        }
        func decode(_ type: String.Type) throws -> String { text }
        func decode(_ type: Double.Type) throws -> Double { try parse(Double.self, Double(text)) }
        func decode(_ type: Float.Type) throws -> Float { try parse(Float.self, Float(text)) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            switch type {
            case is Int.Type: return try parse(Int.self, Int(text)) as! T
            case is Int64.Type: return try parse(Int64.self, Int64(text)) as! T
            case is Int32.Type: return try parse(Int32.self, Int32(text)) as! T
            case is Int16.Type: return try parse(Int16.self, Int16(text)) as! T
            case is Int8.Type: return try parse(Int8.self, Int8(text)) as! T
            case is UInt.Type: return try parse(UInt.self, UInt(text)) as! T
            case is UInt64.Type: return try parse(UInt64.self, UInt64(text)) as! T
            case is UInt32.Type: return try parse(UInt32.self, UInt32(text)) as! T
            case is UInt16.Type: return try parse(UInt16.self, UInt16(text)) as! T
            case is UInt8.Type: return try parse(UInt8.self, UInt8(text)) as! T
            case is Bool.Type: return try decode(Bool.self) as! T
            case is String.Type: return text as! T
            case is Double.Type: return try decode(Double.self) as! T
            case is Float.Type: return try decode(Float.self) as! T
            default: return try T(from: self)
            }
        }
    }
}
