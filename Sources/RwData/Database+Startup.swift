import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Database {
    /// For an app's production entry point, before `serve(app)`: connects, applies the declared
    /// migrations (unless `RW_MIGRATE=0`), and on failure writes one line to standard error and
    /// exits with status 1, so a wrong `DATABASE_URL`, an unreachable server or a failing
    /// migration stop the server before it listens.
    ///
    /// With `RW_MIGRATE_ONLY=1` in the environment (what `rw migrate` sets) it exits with status
    /// 0 once the migrations are applied, after printing their ids.
    ///
    /// ```swift
    /// await db.prepareOrExit()
    /// try await serve(app)
    /// ```
    public func prepareOrExit() async {
        let environment = ProcessInfo.processInfo.environment
        do {
            try await check()
            let list = automaticMigrations.withLock { $0.migrations }
            if environment["RW_MIGRATE_ONLY"] == "1" {
                let applied = try await migrate(list)
                automaticMigrations.withLock { $0.appliedList = list.map(\.id) }
                print(
                    applied.isEmpty
                        ? "migrations: none to apply (\(list.count) applied) on \(configuration)"
                        : "migrations: applied \(applied.joined(separator: ", ")) on \(configuration)")
                exit(0)
            }
            try await migrateIfNeeded()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }
}
