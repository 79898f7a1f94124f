import Foundation

extension Row {
    /// The row decoded as `T`, each property read from the column of its name: the name as
    /// declared (`createdAt`), else its snake-case form (`created_at`). Values convert as
    /// `decode(_:as:)` converts them (so dates are milliseconds since 1970 and booleans 0 or
    /// 1); an optional property is `nil` for NULL or a missing column, and a type that decodes
    /// from one value (a `String`- or `Int`-backed enum) from that column. Throws
    /// ``DatabaseError/decoding(column:reason:)`` naming the column when one does not fit.
    ///
    /// ```swift
    /// struct Article: Decodable { let id: Int; let title: String; let createdAt: Date }
    /// let articles = try await db.query("SELECT id, title, created_at FROM articles", as: Article.self)
    /// ```
    public func decode<T: Decodable>(_ type: T.Type) throws(DatabaseError) -> T {
        do {
            return try T(from: RowDecoder(row: self))
        } catch let error as DatabaseError {
            throw error
        } catch let error as DecodingError {
            throw Self.databaseError(error)
        } catch {
            throw .decoding(column: "", reason: String(describing: error))
        }
    }

    /// The column a property of `name` is read from.
    func column(for name: String) -> String? {
        if columns.contains(name) { return name }
        var snake = ""
        for character in name {
            if character.isUppercase, !snake.isEmpty { snake += "_" }
            snake += character.lowercased()
        }
        return columns.contains(snake) ? snake : nil
    }

    static func databaseError(_ error: DecodingError) -> DatabaseError {
        func column(_ context: DecodingError.Context) -> String { context.codingPath.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, _): return .decoding(column: key.stringValue, reason: "no such column")
        case .typeMismatch(let type, let context): return .decoding(column: column(context), reason: "not a \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context): return .decoding(column: column(context), reason: "NULL, expected a \(type)")
        case .dataCorrupted(let context): return .decoding(column: column(context), reason: context.debugDescription)
        @unknown default: return .decoding(column: "", reason: String(describing: error))
        }
    }
}

/// Decodes a row: a keyed container over its columns, each column a single value.
struct RowDecoder: Decoder {
    let row: Row
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }

    struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: Row
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.columns.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { row.column(for: key.stringValue) != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            guard let column = row.column(for: key.stringValue) else { return true }
            return row[column] == .null
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let column = row.column(for: key.stringValue), let value = row[column] else {
                throw DatabaseError.decoding(column: key.stringValue, reason: "no such column (columns: \(row.columns.joined(separator: ", ")))")
            }
            return try Column(column: column, value: value).decode(T.self)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DatabaseError.decoding(column: key.stringValue, reason: "a column holds no object")
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DatabaseError.decoding(column: key.stringValue, reason: "a column holds no list")
        }
        func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
    }

    /// One column's value, read as the single value a property's type asks for.
    struct Column: Decoder, SingleValueDecodingContainer {
        let column: String
        let value: SQLValue
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            throw DatabaseError.decoding(column: column, reason: "a column holds no object")
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DatabaseError.decoding(column: column, reason: "a column holds no list")
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { value == .null }

        private func bound<B: SQLBindable>(_ type: B.Type) throws -> B {
            guard let decoded = B(sqlValue: value) else {
                throw DatabaseError.decoding(column: column, reason: value == .null ? "NULL, expected a \(B.self)" : "\(value) is not a \(B.self)")
            }
            return decoded
        }

        private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
            let wide = try bound(Int64.self)
            guard let narrow = I(exactly: wide) else {
                throw DatabaseError.decoding(column: column, reason: "\(wide) does not fit a \(I.self)")
            }
            return narrow
        }

        func decode(_ type: Bool.Type) throws -> Bool { try bound(Bool.self) }
        func decode(_ type: String.Type) throws -> String { try bound(String.self) }
        func decode(_ type: Double.Type) throws -> Double { try bound(Double.self) }
        func decode(_ type: Float.Type) throws -> Float { Float(try bound(Double.self)) }
        func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            // Types the database binds (Date, bytes) convert as bound; the rest decode from
            // this single value.
            if let bindable = T.self as? any SQLBindable.Type {
                guard let decoded = bindable.init(sqlValue: value) else {
                    throw DatabaseError.decoding(column: column, reason: value == .null ? "NULL, expected a \(T.self)" : "\(value) is not a \(T.self)")
                }
                return decoded as! T
            }
            return try T(from: self)
        }
    }
}

extension SQLExecutor {
    /// The rows `sql` produced, each decoded as `T` (see ``Row/decode(_:)``).
    public func query<T: Decodable>(_ sql: SQL, as type: T.Type) async throws(DatabaseError) -> [T] {
        var decoded: [T] = []
        for row in try await query(sql) { decoded.append(try row.decode(T.self)) }
        return decoded
    }

    /// The first row `sql` produced decoded as `T`, or `nil` when it produced none.
    public func first<T: Decodable>(_ sql: SQL, as type: T.Type) async throws(DatabaseError) -> T? {
        guard let row = try await first(sql) else { return nil }
        return try row.decode(T.self)
    }
}
