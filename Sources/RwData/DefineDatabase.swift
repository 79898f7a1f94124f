import RwSDK
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
///         "CREATE TABLE messages (id \(type: .autoIncrementKey), body \(type: .text) NOT NULL)"),
/// ])
/// ```
///
/// A `DATABASE_URL` that cannot be used is reported by the first statement (and by
/// ``Database/check()``), as a ``DatabaseError/invalidURL(_:reason:)``.
///
/// `minimumConnections` and `maximumConnections` size PostgreSQL's pool (see
/// ``Database/init(_:minimumConnections:maximumConnections:connectionWait:logger:)``); like the
/// configuration, they are read by the first call only.
///
/// On PostgreSQL, the database also carries the app's channel broadcasts to its other instances
/// (``broadcast(_:_:)`` through `LISTEN`/`NOTIFY`, see ``Database/fanOutBroadcasts(through:)``),
/// which holds one connection of the pool for listening: keep `maximumConnections` at 2 or more.
public func defineDatabase(
    _ key: String = "rw.database",
    migrations: [Migration] = [],
    configuration: DatabaseConfiguration? = nil,
    minimumConnections: Int = 0,
    maximumConnections: Int = 10
) -> Database {
    let database = defineRwState(key) { () -> Database in
        let database: Database
        if let configuration {
            database = Database(configuration, minimumConnections: minimumConnections, maximumConnections: maximumConnections)
        } else {
            do throws(DatabaseError) {
                database = Database(
                    try DatabaseConfiguration.fromEnvironment(), minimumConnections: minimumConnections,
                    maximumConnections: maximumConnections)
            } catch {
                return Database(failing: error)
            }
        }
        database.fanOutBroadcasts(through: socketHub)
        return database
    }
    database.declareMigrations(migrations)
    return database
}
