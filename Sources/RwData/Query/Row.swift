/// One row of a result: its columns by name, in the order the statement selected them.
public struct Row: Sendable, Hashable {
    /// The column names.
    public let columns: [String]
    /// The values, one per column.
    public let values: [SQLValue]

    /// A row of `values` under `columns`.
    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of the column `name`, or `nil` when the row has no such column.
    public subscript(_ name: String) -> SQLValue? {
        columns.firstIndex(of: name).map { values[$0] }
    }

    /// The column `name` read as a `T`; throws ``DatabaseError/decoding(column:reason:)`` when the
    /// column is missing, NULL or of another type.
    public func decode<T: SQLBindable>(_ name: String, as type: T.Type = T.self) throws(DatabaseError) -> T {
        guard let value = self[name] else {
            throw .decoding(column: name, reason: "no such column (columns: \(columns.joined(separator: ", ")))")
        }
        guard let decoded = T(sqlValue: value) else {
            throw .decoding(column: name, reason: "\(value) is not a \(T.self)")
        }
        return decoded
    }

    /// The column `name` read as a `T`, or `nil` when it is NULL.
    public func decode<T: SQLBindable>(_ name: String, as type: T?.Type) throws(DatabaseError) -> T? {
        if self[name] == .null { return nil }
        return try decode(name, as: T.self)
    }
}
