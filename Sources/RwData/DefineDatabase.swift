import RwState

/// The app's database, kept in the state module under `key`: created (from `DATABASE_URL`, see
/// ``DatabaseConfiguration/fromEnvironment(_:folder:)``, unless `configuration` is given) by the
/// first call, and the same
/// instance, with its open connections, for every later call, including those of the code of
/// every `rw dev` reload. Each call declares `migrations` as the current list: those not yet
/// applied run before the next statement (unless the environment says `RW_MIGRATE=0`), so a
/// migration added during `rw dev` is applied at the next request after the save.
///
/// ```swift
/// let db = defineDatabase(migrations: [
///     Migration("001_messages",
///         sqlite: ["CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)"],
///         postgres: ["CREATE TABLE messages (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)"]),
/// ])
/// ```
///
/// A `DATABASE_URL` that cannot be used is reported by the first statement (and by
/// ``Database/check()``), as a ``DatabaseError/invalidURL(_:reason:)``.
public func defineDatabase(
    _ key: String = "rw.database",
    migrations: [Migration] = [],
    configuration: DatabaseConfiguration? = nil
) -> Database {
    let database = defineRwState(key) { () -> Database in
        if let configuration { return Database(configuration) }
        do throws(DatabaseError) {
            return Database(try DatabaseConfiguration.fromEnvironment())
        } catch {
            return Database(failing: error)
        }
    }
    database.declareMigrations(migrations)
    return database
}
