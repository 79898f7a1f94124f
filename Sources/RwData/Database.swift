import Foundation
public import Logging
import Synchronization

/// An app's database: SQLite (one file, the default) or PostgreSQL (a pool of connections),
/// chosen by its ``DatabaseConfiguration``; the same statements run on both.
///
/// Creating one connects nothing: the first statement opens the file or the first connection,
/// and a connection the server lost is replaced by the next statement. In development keep it
/// with ``defineDatabase(_:migrations:configuration:minimumConnections:maximumConnections:)`` so every `rw dev` reload uses the same
/// connections.
public final class Database: SQLExecutor {
    /// Where the database is.
    public let configuration: DatabaseConfiguration
    let backend: any DatabaseBackend
    /// The migrations to apply before the next statement (see ``defineDatabase(_:migrations:configuration:minimumConnections:maximumConnections:)``).
    let automaticMigrations = Mutex<AutomaticMigrations>(AutomaticMigrations())
    /// Held while automatic migrations run, so they run once.
    let migrationLock = AsyncLock()
    #if PostgreSQL
    /// The fan-out of broadcasts to other instances, once started (PostgreSQL only).
    let broadcasts = Mutex<PostgresBroadcasts?>(nil)
    #endif

    /// A database for `configuration`. `maximumConnections` bounds PostgreSQL's pool (SQLite has
    /// one connection), which opens connections as statements need them and keeps
    /// `minimumConnections` of them open even when idle (it opens those at once). A statement
    /// waits at most `connectionWait` for a connection of the pool (while the server cannot be
    /// reached, say) before it throws ``DatabaseError/unreachable(_:reason:)``.
    public init(
        _ configuration: DatabaseConfiguration,
        minimumConnections: Int = 0,
        maximumConnections: Int = 10,
        connectionWait: Duration = .seconds(10),
        logger: Logger = Logger(label: "rw.data")
    ) {
        self.configuration = configuration
        switch configuration {
        case .sqlite(let path):
            backend = SQLiteBackend(path: path, logger: logger)
        case .postgres(let host, let port, let user, let password, let database, let tls):
            #if PostgreSQL
            backend = PostgresBackend(
                host: host, port: port, user: user, password: password, database: database, tls: tls,
                minimumConnections: minimumConnections, maximumConnections: maximumConnections,
                connectionWait: connectionWait, logger: logger)
            #else
            _ = (host, port, user, password, database, tls)
            backend = FailingBackend(
                error: .invalidURL(configuration.description, reason: DatabaseConfiguration.postgreSQLMissingReason))
            #endif
        }
    }

    /// A database every statement of which throws `error` (a `DATABASE_URL` that cannot be used).
    init(failing error: DatabaseError) {
        configuration = .sqlite(path: ":memory:")
        backend = FailingBackend(error: error)
    }

    public var dialect: SQLDialect { configuration.dialect }

    @discardableResult
    public func query(_ sql: SQL) async throws(DatabaseError) -> [Row] {
        try await migrateIfNeeded()
        return try await rawQuery(sql)
    }

    /// Runs `sql` without applying pending migrations first.
    @discardableResult
    func rawQuery(_ sql: SQL) async throws(DatabaseError) -> [Row] {
        do {
            return try await backend.withConnection(for: .statement) { try await $0.run(sql) }
        } catch {
            throw Self.databaseError(error)
        }
    }

    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it throws
    /// (the error is rethrown). Statements of other callers run on other connections (SQLite:
    /// wait until the transaction ends).
    public func transaction<R: Sendable>(_ body: @Sendable (Transaction) async throws -> R) async throws -> R {
        try await migrateIfNeeded()
        return try await rawTransaction(body)
    }

    /// A transaction without applying pending migrations first.
    func rawTransaction<R: Sendable>(_ body: @Sendable (Transaction) async throws -> R) async throws -> R {
        let dialect = dialect
        return try await backend.withConnection(for: .transaction) { connection in
            let transaction = Transaction(connection: connection, dialect: dialect)
            // SQLite: take the write lock at once, so two processes never both read then write.
            try await connection.run(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")
            let result: R
            do {
                result = try await body(transaction)
            } catch {
                _ = try? await connection.run("ROLLBACK")
                throw error
            }
            try await connection.run("COMMIT")
            return result
        }
    }

    /// Checks that the database can be reached: runs `SELECT 1`. Throws
    /// ``DatabaseError/unreachable(_:reason:)`` or ``DatabaseError/invalidURL(_:reason:)`` with one
    /// line saying why.
    public func check() async throws(DatabaseError) {
        #if PostgreSQL
        if let postgres = backend as? PostgresBackend {
            try await postgres.check()
        }
        #endif
        do {
            _ = try await rawQuery("SELECT 1")
        } catch .connectionLost(let reason) {
            throw .unreachable(configuration.description, reason: reason)
        }
    }

    /// Closes every connection. Later statements fail.
    public func close() async {
        #if PostgreSQL
        broadcasts.withLock { $0 }?.stop()
        #endif
        await backend.close()
    }

    static func databaseError(_ error: any Error) -> DatabaseError {
        if let error = error as? DatabaseError { return error }
        return .statement(message: "\(error)", sql: "")
    }
}
