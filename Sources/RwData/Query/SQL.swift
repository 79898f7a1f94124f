/// A statement and the values bound to it, written as a string literal: every interpolated value
/// is bound as a parameter, never pasted into the text.
///
/// ```swift
/// let rows = try await db.query("SELECT id, body FROM messages WHERE author = \(name) LIMIT \(limit)")
/// ```
///
/// The text comes only from literals in the source: a `String` variable does not convert to
/// `SQL`, and `"… \(name) …"` binds `name`. Text that must be pasted (a table name chosen at run
/// time) is written `\(unsafeRaw: text)` or `SQL(unsafeRaw:)`, so it stands out in review.
/// Placeholders are rendered for the database that runs the statement (`?` for SQLite, `$1` …
/// for PostgreSQL), so the same statement runs on both.
public struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// One piece of a statement: literal text or a bound value.
    enum Part: Sendable, Hashable {
        case text(String)
        case value(SQLValue)
        case type(SQLColumnType)
    }

    var parts: [Part]

    /// The statement `literal`, with no bound values.
    public init(stringLiteral literal: StaticString) {
        parts = [.text(literal.description)]
    }

    /// The statement written with interpolations, each interpolated value bound.
    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    /// A statement made of `text` as is. Nothing in it is bound: never pass text that holds a
    /// value a user chose.
    public init(unsafeRaw text: String) {
        parts = [.text(text)]
    }

    /// Builds a statement: literal text is kept, interpolated values are bound.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var parts: [Part] = []

        /// Space for the pieces of one literal.
        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        /// Keeps the literal text of the source.
        public mutating func appendLiteral(_ literal: StaticString) {
            parts.append(.text(literal.description))
        }

        /// Binds `value` as a parameter.
        public mutating func appendInterpolation(_ value: some SQLBindable) {
            parts.append(.value(value.sqlValue))
        }

        /// Binds `value` as a parameter, or NULL when it is `nil`.
        public mutating func appendInterpolation(_ value: (some SQLBindable)?) {
            parts.append(.value(value?.sqlValue ?? .null))
        }

        /// Inserts another statement, its bound values kept bound.
        public mutating func appendInterpolation(_ fragment: SQL) {
            parts.append(contentsOf: fragment.parts)
        }

        /// Binds each of `values` as a parameter of a parenthesized list, for `IN`:
        /// `"… WHERE id IN \(list: ids)"` becomes `WHERE id IN (?, ?, ?)`. An empty list is
        /// `(NULL)`, which no value is `IN`, so the statement stays valid and matches nothing.
        public mutating func appendInterpolation<Values: Sequence>(list values: Values) where Values.Element: SQLBindable {
            parts.append(.text("("))
            var first = true
            for value in values {
                if !first { parts.append(.text(", ")) }
                parts.append(.value(value.sqlValue))
                first = false
            }
            if first { parts.append(.text("NULL")) }
            parts.append(.text(")"))
        }

        /// Writes a column type (with its constraint, for a key) as the database that runs the
        /// statement spells it, so one migration serves SQLite and PostgreSQL:
        /// `"CREATE TABLE notes (id \(type: .autoIncrementKey), body \(type: .text) NOT NULL)"`.
        public mutating func appendInterpolation(type: SQLColumnType) {
            parts.append(.type(type))
        }

        /// Pastes `text` into the statement as is, unbound. Never pass a value a user chose.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            parts.append(.text(text))
        }
    }

    /// The values bound to the statement, in order.
    public var bindings: [SQLValue] {
        parts.compactMap { if case .value(let v) = $0 { v } else { nil } }
    }

    /// The statement's text with placeholders written as `dialect` writes them.
    public func text(for dialect: SQLDialect) -> String {
        var text = ""
        var index = 0
        for part in parts {
            switch part {
            case .text(let literal):
                text += literal
            case .type(let type):
                text += type.text(for: dialect)
            case .value:
                index += 1
                switch dialect {
                case .sqlite: text += "?"
                case .postgres: text += "$\(index)"
                }
            }
        }
        return text
    }

    /// The text with `?` placeholders, for logs; bound values are not shown.
    public var description: String { text(for: .sqlite) }
}

/// The SQL dialects a ``Database`` speaks.
public enum SQLDialect: String, Sendable, Hashable {
    /// SQLite (the embedded default).
    case sqlite
    /// PostgreSQL.
    case postgres
}

/// Column types written once for both dialects, in a statement's `\(type: …)`: each becomes the
/// type that SQLite and PostgreSQL store the same Swift values in, so rows read back alike. (A
/// `Bool` is bound as 0 or 1: store it in an `.integer` column.)
public enum SQLColumnType: Sendable, Hashable {
    /// An integer primary key the database assigns (`INTEGER PRIMARY KEY AUTOINCREMENT` on SQLite,
    /// `BIGSERIAL PRIMARY KEY` on PostgreSQL), read as `Int`.
    case autoIncrementKey
    /// A 64-bit integer (`INTEGER`, `BIGINT`), read as `Int`.
    case integer
    /// Text of any length (`TEXT` on both).
    case text
    /// A double-precision number (`REAL`, `DOUBLE PRECISION`), read as `Double`.
    case double
    /// Bytes (`BLOB`, `BYTEA`), read as `[UInt8]`.
    case bytes

    /// The type as `dialect` spells it.
    public func text(for dialect: SQLDialect) -> String {
        switch (self, dialect) {
        case (.autoIncrementKey, .sqlite): "INTEGER PRIMARY KEY AUTOINCREMENT"
        case (.autoIncrementKey, .postgres): "BIGSERIAL PRIMARY KEY"
        case (.integer, .sqlite): "INTEGER"
        case (.integer, .postgres): "BIGINT"
        case (.text, _): "TEXT"
        case (.double, .sqlite): "REAL"
        case (.double, .postgres): "DOUBLE PRECISION"
        case (.bytes, .sqlite): "BLOB"
        case (.bytes, .postgres): "BYTEA"
        }
    }
}
