import Foundation

extension Database {
    /// The table that records applied migrations.
    static let migrationsTable = "rw_migrations"
    /// Creates ``migrationsTable`` if it is missing.
    static let createMigrationsTable: SQL = "CREATE TABLE IF NOT EXISTS rw_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"

    /// Applies the migrations of `migrations` not yet recorded, in order, each in its own
    /// transaction together with its record, and returns the ids it applied. A migration that
    /// fails is rolled back and stops the run with ``DatabaseError/migrationFailed(id:reason:)``;
    /// the ones before it stay applied. Several processes may migrate at once: PostgreSQL
    /// serializes them with an advisory lock, SQLite with its write lock (`BEGIN IMMEDIATE`).
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws(DatabaseError) -> [String] {
        var seen = Set<String>()
        for migration in migrations where !seen.insert(migration.id).inserted {
            throw .migrationFailed(id: migration.id, reason: "the id appears twice in the list")
        }
        var applied: [String] = []
        for migration in migrations {
            let dialect = dialect
            do {
                let didApply = try await rawTransaction { tx in
                    if dialect == .postgres {
                        // One migrating process at a time; released at COMMIT/ROLLBACK.
                        try await tx.query("SELECT pg_advisory_xact_lock(727274)")
                    }
                    // Inside the lock: PostgreSQL refuses two concurrent creations of one table.
                    try await tx.query(Self.createMigrationsTable)
                    if try await tx.first("SELECT id FROM rw_migrations WHERE id = \(migration.id)") != nil {
                        return false
                    }
                    for statement in migration.statements(dialect) {
                        try await tx.query(statement)
                    }
                    try await tx.query("INSERT INTO rw_migrations (id, applied_at) VALUES (\(migration.id), \(Date()))")
                    return true
                }
                if didApply { applied.append(migration.id) }
            } catch let error as DatabaseError {
                switch error {
                case .unreachable, .connectionLost, .invalidURL: throw error
                case .statement(let message, let sql): throw .migrationFailed(id: migration.id, reason: sql.isEmpty ? message : "\(message) (in \(sql))")
                default: throw .migrationFailed(id: migration.id, reason: error.description)
                }
            } catch {
                throw .migrationFailed(id: migration.id, reason: "\(error)")
            }
        }
        return applied
    }

    /// The ids of the migrations recorded as applied, oldest first.
    public func appliedMigrations() async throws(DatabaseError) -> [String] {
        // Only read: the table is created where migrations are applied, under their lock.
        let table: SQL =
            dialect == .postgres
            ? "SELECT 1 AS found FROM pg_tables WHERE tablename = \(Self.migrationsTable)"
            : "SELECT 1 AS found FROM sqlite_master WHERE name = \(Self.migrationsTable)"
        guard try await !rawQuery(table).isEmpty else { return [] }
        var ids: [String] = []
        for row in try await rawQuery("SELECT id FROM rw_migrations ORDER BY applied_at, id") {
            ids.append(try row.decode("id", as: String.self))
        }
        return ids
    }
}
