/// One kind of database server behind ``Database``: hands out a connection at a time.
protocol DatabaseBackend: Sendable {
    /// Runs `body` with a connection no other caller uses meanwhile.
    func withConnection<R: Sendable>(_ body: @Sendable (any BackendConnection) async throws -> R) async throws -> R
    /// Closes every connection; later calls fail.
    func close() async
}

/// One connection of a backend, lent for the length of a `withConnection` call.
protocol BackendConnection: Sendable {
    /// Runs `sql` with its values bound and returns its rows; errors are ``DatabaseError``s.
    @discardableResult
    func run(_ sql: SQL) async throws(DatabaseError) -> [Row]
}
