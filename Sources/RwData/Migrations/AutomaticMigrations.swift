import Foundation

/// The migrations a ``Database`` applies by itself before its next statement: the list the
/// current code declared, and the ids of the list it last applied.
struct AutomaticMigrations: Sendable {
    var migrations: [Migration] = []
    /// The ids of the list applied last (`nil`: none applied yet in this process).
    var appliedList: [String]? = []

    /// Whether the declared list differs from the one applied last.
    var isPending: Bool { appliedList != migrations.map(\.id) }
}

extension Database {
    /// Declares the migrations of the current code: they are applied before the next statement
    /// (unless `RW_MIGRATE=0`), and again whenever a later call declares another list.
    public func declareMigrations(_ migrations: [Migration]) {
        guard ProcessInfo.processInfo.environment["RW_MIGRATE"] != "0" else { return }
        automaticMigrations.withLock { $0.migrations = migrations }
    }

    /// Applies the declared migrations if the list changed since they were last applied.
    func migrateIfNeeded() async throws(DatabaseError) {
        guard automaticMigrations.withLock({ $0.isPending }) else { return }
        await migrationLock.acquire()
        let list = automaticMigrations.withLock { $0.isPending ? $0.migrations : nil }
        if let list {
            do {
                try await migrate(list)
                automaticMigrations.withLock { $0.appliedList = list.map(\.id) }
            } catch {
                migrationLock.release()
                throw error
            }
        }
        migrationLock.release()
    }
}
