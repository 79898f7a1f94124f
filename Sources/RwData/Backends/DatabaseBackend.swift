/// One kind of database server behind ``Database``: lends out connections.
protocol DatabaseBackend: Sendable {
    /// Runs `body` with a connection: for a ``ConnectionUse/transaction``, one no other caller
    /// uses until `body` returns; for a ``ConnectionUse/statement``, one that may run other
    /// callers' statements meanwhile (never inside their transactions).
    func withConnection<R: Sendable>(for use: ConnectionUse, _ body: @Sendable (any BackendConnection) async throws -> R) async throws -> R
    /// Closes every connection; later calls fail.
    func close() async
}

/// What a caller does with the connection it is lent.
enum ConnectionUse: Sendable {
    /// Runs one statement, which is atomic by itself.
    case statement
    /// Runs a transaction: several statements that no other caller's may come between.
    case transaction
}

/// One connection of a backend, lent for the length of a `withConnection` call.
protocol BackendConnection: Sendable {
    /// Runs `sql` with its values bound and returns its rows; errors are ``DatabaseError``s.
    @discardableResult
    func run(_ sql: SQL) async throws(DatabaseError) -> [Row]
}
