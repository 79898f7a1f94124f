/// Something that runs statements: a ``Database`` (each call on a connection of its own) or a
/// ``Transaction`` (every call on the transaction's connection).
public protocol SQLExecutor: Sendable {
    /// The dialect the statements run in.
    var dialect: SQLDialect { get }

    /// Runs `sql` with its values bound and returns the rows it produced (none for most
    /// statements other than SELECT and `… RETURNING`).
    @discardableResult
    func query(_ sql: SQL) async throws(DatabaseError) -> [Row]
}

extension SQLExecutor {
    /// The first row `sql` produced, or `nil` when it produced none.
    public func first(_ sql: SQL) async throws(DatabaseError) -> Row? {
        try await query(sql).first
    }
}
