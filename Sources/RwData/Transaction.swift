/// Statements run on one connection between `BEGIN` and `COMMIT` (see
/// ``Database/transaction(_:)``). Valid only inside the closure it was passed to.
public struct Transaction: SQLExecutor {
    let connection: any BackendConnection
    public let dialect: SQLDialect

    @discardableResult
    public func query(_ sql: SQL) async throws(DatabaseError) -> [Row] {
        try await connection.run(sql)
    }
}
