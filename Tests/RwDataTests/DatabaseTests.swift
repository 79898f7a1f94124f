import Foundation
import PostgresTestSupport
import Testing

@testable import RwData

/// The same app code on both databases: every test runs on SQLite and on a throwaway
/// PostgreSQL cluster (one test at a time: each PostgreSQL case starts a cluster of its own).
@Suite(.serialized, .timeLimit(.minutes(2))) struct DatabaseTests {
    @Test(arguments: Backend.allCases)
    func boundValuesRoundTripAndReturningGivesTheKey(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            try await db.migrate([messagesMigration])
            let hostile = "x'); DROP TABLE messages;--"
            let inserted = try await db.first("INSERT INTO messages (author, body) VALUES (\("ann"), \(hostile)) RETURNING id")
            let id = try #require(inserted).decode("id", as: Int64.self)
            let row = try #require(try await db.first("SELECT author, body FROM messages WHERE id = \(id)"))
            #expect(try row.decode("author", as: String.self) == "ann")
            #expect(try row.decode("body", as: String.self) == hostile)
            let count = try await db.first("SELECT count(*) AS n FROM messages")
            #expect(try count?.decode("n", as: Int.self) == 1)
        }
    }

    /// Rows decoded into a `Decodable` type by column name, and `IN` lists bound value by value.
    @Test(arguments: Backend.allCases)
    func rowsDecodeByColumnNameAndInListsAreBound(backend: Backend) async throws {
        struct Message: Decodable, Equatable {
            enum Author: String, Decodable { case ann, bob }
            let id: Int
            let author: Author
            let body: String
            let postedAt: Date?
            let score: Int16?
        }
        try await withDatabase(backend) { db, _ in
            // One migration for both databases, in portable column types.
            let second = Migration(
                "002_messages_more", "ALTER TABLE messages ADD COLUMN posted_at \(type: .integer)",
                "ALTER TABLE messages ADD COLUMN weight \(type: .double)", "ALTER TABLE messages ADD COLUMN avatar \(type: .bytes)")
            try await db.migrate([messagesMigration, second])
            let at = Date(timeIntervalSince1970: 1_765_000_000.25)
            for (author, body) in [("ann", "one"), ("bob", "two"), ("ann", "x') OR 1=1 --")] {
                try await db.query("INSERT INTO messages (author, body, posted_at) VALUES (\(author), \(body), \(author == "bob" ? nil : at))")
            }
            let all = try await db.query("SELECT id, author, body, posted_at FROM messages ORDER BY id", as: Message.self)
            #expect(all.map(\.body) == ["one", "two", "x') OR 1=1 --"])
            #expect(all[0] == Message(id: 1, author: .ann, body: "one", postedAt: at, score: nil))
            #expect(all[1].postedAt == nil && all[1].author == .bob)

            let picked = try await db.query(
                "SELECT id, author, body, posted_at FROM messages WHERE body IN \(list: ["two", "x') OR 1=1 --", "none"]) ORDER BY id",
                as: Message.self)
            #expect(picked.map(\.id) == [2, 3])
            let byID = try await db.query("SELECT id, author, body FROM messages WHERE id IN \(list: [1, 3]) ORDER BY id", as: Message.self)
            #expect(byID.map(\.id) == [1, 3])
            let none = try await db.query("SELECT id, author, body FROM messages WHERE id IN \(list: [Int]()) ORDER BY id", as: Message.self)
            #expect(none.isEmpty)

            try await db.query("UPDATE messages SET weight = \(2.5), avatar = \([UInt8]([0, 255, 7])) WHERE id = \(2)")
            let typed = try #require(try await db.first("SELECT weight, avatar FROM messages WHERE id = \(2)"))
            #expect(try typed.decode("weight", as: Double.self) == 2.5)
            #expect(try typed.decode("avatar", as: [UInt8].self) == [0, 255, 7])

            // A column that does not fit names itself.
            struct Wrong: Decodable { let body: Int }
            let error = await #expect(throws: DatabaseError.self) { try await db.first("SELECT body FROM messages", as: Wrong.self) }
            guard case .decoding(let column, _) = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
            #expect(column == "body")
            struct Missing: Decodable { let title: String }
            let missing = await #expect(throws: DatabaseError.self) { try await db.first("SELECT body FROM messages", as: Missing.self) }
            guard case .decoding(let missingColumn, _) = missing else {
                Issue.record("expected a decoding error, got \(String(describing: missing))")
                return
            }
            #expect(missingColumn == "title")
        }
    }

    @Test(arguments: Backend.allCases)
    func migrationsRunInOrderOnceAndAreRecorded(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            let second = Migration("002_messages_at", "ALTER TABLE messages ADD COLUMN posted_at BIGINT")
            #expect(try await db.migrate([messagesMigration, second]) == ["001_messages", "002_messages_at"])
            #expect(try await db.migrate([messagesMigration, second]) == [])
            #expect(try await db.appliedMigrations() == ["001_messages", "002_messages_at"])
            try await db.query("INSERT INTO messages (author, body, posted_at) VALUES (\("a"), \("b"), \(Date()))")
        }
    }

    @Test(arguments: Backend.allCases)
    func aFailingMigrationStopsWithOneLineAndKeepsNothingOfItself(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            let broken = Migration(
                "002_broken",
                "CREATE TABLE half_done (id INTEGER)",
                "ALTER TABLE no_such_table ADD COLUMN x INTEGER")
            let error = await #expect(throws: DatabaseError.self) { try await db.migrate([messagesMigration, broken]) }
            guard case .migrationFailed(let id, _) = error else {
                Issue.record("expected migrationFailed, got \(String(describing: error))")
                return
            }
            #expect(id == "002_broken")
            #expect(error?.description.contains("\n") == false)
            let applied = try await db.appliedMigrations()
            #expect(applied == ["001_messages"])
            // The table the broken migration created first was rolled back with it.
            let messages = try await db.first("SELECT count(*) AS n FROM messages")
            #expect(messages != nil)
            await #expect(throws: DatabaseError.self) { try await db.query("SELECT * FROM half_done") }
        }
    }

    @Test(arguments: Backend.allCases)
    func transactionsCommitOnReturnAndRollBackOnThrow(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            try await db.migrate([messagesMigration])
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await db.transaction { tx in
                    try await tx.query("INSERT INTO messages (author, body) VALUES (\("ann"), \("rolled back"))")
                    throw Refused()
                }
            }
            let kept = try await db.transaction { tx in
                try await tx.query("INSERT INTO messages (author, body) VALUES (\("ann"), \("kept"))")
                return try await tx.query("SELECT body FROM messages").map { try $0.decode("body", as: String.self) }
            }
            #expect(kept == ["kept"])
            #expect(try await db.query("SELECT body FROM messages").map { try $0.decode("body", as: String.self) } == ["kept"])
        }
    }

    @Test(arguments: Backend.allCases)
    func aUniqueViolationIsATypedError(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            try await db.migrate([Migration("001_users", "CREATE TABLE users (name TEXT PRIMARY KEY)")])
            try await db.query("INSERT INTO users (name) VALUES (\("ann"))")
            let error = await #expect(throws: DatabaseError.self) {
                try await db.query("INSERT INTO users (name) VALUES (\("ann"))")
            }
            guard case .uniqueViolation = error else {
                Issue.record("expected uniqueViolation, got \(String(describing: error))")
                return
            }
            // The connection is still usable.
            #expect(try await db.query("SELECT name FROM users").count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func concurrentWritersAllLand(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            try await db.migrate([messagesMigration])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask { () async throws -> Void in
                        if i.isMultiple(of: 2) {
                            _ = try await db.query("INSERT INTO messages (author, body) VALUES (\("w"), \("m\(i)"))")
                        } else {
                            _ = try await db.transaction { tx in
                                _ = try await tx.query("INSERT INTO messages (author, body) VALUES (\("t"), \("m\(i)"))")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await db.first("SELECT count(DISTINCT body) AS n FROM messages")?.decode("n", as: Int.self) == 40)
        }
    }

    /// Instances of an app started at the same moment migrate one database at once: each
    /// migration is applied by exactly one of them, and none fails (PostgreSQL refuses two
    /// concurrent `CREATE TABLE IF NOT EXISTS` of one table with a unique violation).
    ///
    /// On SQLite two instances: in one process every connection's statements share sqlite-nio's
    /// thread pool (a thread per core), and a thread waiting for SQLite's write lock blocks, so
    /// more instances than threads would wait for each other, which separate processes do not.
    @Test(arguments: Backend.allCases)
    func severalProcessesMigratingAtOnceApplyEachMigrationOnce(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            let others = (0..<(backend == .sqlite ? 1 : 5)).map { _ in Database(db.configuration) }
            let migrations = [messagesMigration, Migration("002_tags", "CREATE TABLE tags (name TEXT)")]
            let outcomes = await withTaskGroup(of: Result<[String], DatabaseError>.self) { group in
                for instance in [db] + others {
                    group.addTask {
                        do throws(DatabaseError) { return .success(try await instance.migrate(migrations)) } catch { return .failure(error) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for other in others { await other.close() }
            let applied = outcomes.flatMap { (try? $0.get()) ?? [] }
            for case .failure(let error) in outcomes { Issue.record("a migrating instance failed: \(error)") }
            #expect(applied.sorted() == ["001_messages", "002_tags"])
            let recorded = try await db.appliedMigrations()
            #expect(recorded == ["001_messages", "002_tags"])
        }
    }

    /// SQLite's one connection is shared by statements, but a statement that comes while a
    /// transaction is open waits for it to end and is not part of it: here it survives the
    /// transaction's rollback.
    @Test func onSQLiteAStatementDuringATransactionWaitsOutsideIt() async throws {
        try await withDatabase(.sqlite) { db, _ in
            try await db.migrate([messagesMigration])
            let lock = try #require((db.backend as? SQLiteBackend)?.lock)
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await db.transaction { tx in
                    try await tx.query("INSERT INTO messages (author, body) VALUES (\("t"), \("rolled back"))")
                    Task { try await db.query("INSERT INTO messages (author, body) VALUES (\("s"), \("statement"))") }
                    await AsyncLockTests.waitForWaiters(lock, 1)
                    throw Refused()
                }
            }
            // The statement runs once the transaction has rolled back.
            while try await db.query("SELECT body FROM messages").isEmpty { await Task.yield() }
            #expect(try await db.query("SELECT body FROM messages").map { try $0.decode("body", as: String.self) } == ["statement"])
        }
    }

    @Test(arguments: Backend.allCases)
    func declaredMigrationsRunBeforeTheNextStatementAndAgainWhenTheListGrows(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            db.declareMigrations([messagesMigration])
            try await db.query("INSERT INTO messages (author, body) VALUES (\("a"), \("b"))")
            db.declareMigrations([messagesMigration, Migration("002_tags", "CREATE TABLE tags (name TEXT)")])
            try await db.query("INSERT INTO tags (name) VALUES (\("new"))")
            #expect(try await db.appliedMigrations() == ["001_messages", "002_tags"])
        }
    }
}

@Suite(.serialized, .timeLimit(.minutes(2))) struct PostgresFailureTests {
    @Test func anUnreachableServerIsOneClearLine() async throws {
        let port = try PostgresCluster.freePort()
        let db = Database(.postgres(host: "127.0.0.1", port: port, user: "rw", password: "x", database: "rw", tls: false))
        defer { Task { await db.close() } }
        let error = await #expect(throws: DatabaseError.self) { try await db.check() }
        guard case .unreachable(let target, _) = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(target.contains("127.0.0.1:\(port)"))
        #expect(error?.description.contains("\n") == false)
        await db.close()
    }

    @Test func aWrongPasswordIsOneClearLine() async throws {
        try await withDatabase(.postgres) { _, cluster in
            let url = cluster!.url.replacingOccurrences(of: "secret", with: "wrong")
            let db = Database(try DatabaseConfiguration.parse(url, folder: "/"))
            let error = await #expect(throws: DatabaseError.self) { try await db.check() }
            guard case .unreachable(_, let reason) = error else {
                Issue.record("expected unreachable, got \(String(describing: error))")
                await db.close()
                return
            }
            #expect(reason.contains("password"))
            await db.close()
        }
    }

    /// A server that drops every connection: statements fail with a typed error at most once
    /// per lost connection, and the pool connects again.
    @Test
    func aLostConnectionIsTypedThenTheDatabaseReconnects() async throws {
        try await withDatabase(.postgres, maximumConnections: 1) { db, cluster in
            try await db.check()
            let before = try #require(try await db.first("SELECT pg_backend_pid() AS pid")?.decode("pid", as: Int.self))
            _ = try await cluster!.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'rw' AND pid <> pg_backend_pid()")
            var failures = 0
            var after: Int?
            for _ in 0..<5 where after == nil {
                do {
                    after = try await db.first("SELECT pg_backend_pid() AS pid")?.decode("pid", as: Int.self)
                } catch let error as DatabaseError {
                    guard case .connectionLost = error else { throw error }
                    failures += 1
                }
            }
            #expect(failures <= 1)
            let pid = try #require(after)
            #expect(pid != before)
        }
    }
}
