import Logging
import NIOCore
import SQLiteNIO

/// SQLite through sqlite-nio: one connection, opened at first use and in WAL mode so readers in
/// other processes are not blocked. Statements share it (sqlite-nio opens it in SQLite's
/// serialized mode, which runs them one at a time); a transaction has it alone, so no other
/// caller's statement runs inside it.
final class SQLiteBackend: DatabaseBackend {
    let path: String
    let logger: Logger
    /// Held shared by statements and exclusively by transactions and by opening and closing.
    let lock = AsyncLock()
    /// Read while `lock` is held, written only while it is held exclusively.
    private nonisolated(unsafe) var connection: SQLiteConnection?

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    func withConnection<R: Sendable>(for use: ConnectionUse, _ body: @Sendable (any BackendConnection) async throws -> R) async throws -> R {
        let mode: AsyncLock.Mode = use == .transaction ? .exclusive : .shared
        while true {
            await lock.acquire(mode)
            let connection: SQLiteConnection
            do {
                if let open = self.connection, !open.isClosed {
                    connection = open
                } else if mode == .exclusive {
                    connection = try await open()
                } else {
                    // Opening writes `connection`, which needs the lock alone; then try again.
                    lock.release(mode)
                    try await lock.withLock(.exclusive) { _ = try await self.open() }
                    continue
                }
            } catch {
                lock.release(mode)
                throw error
            }
            do {
                let result = try await body(SQLiteBackendConnection(connection: connection))
                lock.release(mode)
                return result
            } catch {
                lock.release(mode)
                throw error
            }
        }
    }

    /// The open connection (opened now when there is none). Called with `lock` held exclusively.
    private func open() async throws(DatabaseError) -> SQLiteConnection {
        if let connection, !connection.isClosed { return connection }
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        let opened: SQLiteConnection
        do {
            opened = try await SQLiteConnection.open(storage: storage, logger: logger)
        } catch {
            throw .unreachable("sqlite:\(path)", reason: "\(error)")
        }
        let connection = SQLiteBackendConnection(connection: opened)
        for pragma: SQL in ["PRAGMA busy_timeout=5000", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON"] {
            _ = try await connection.run(pragma)
        }
        self.connection = opened
        return opened
    }

    func close() async {
        await lock.acquire()
        try? await connection?.close()
        connection = nil
        lock.release()
    }
}

/// The SQLite connection as lent to one caller.
struct SQLiteBackendConnection: BackendConnection {
    let connection: SQLiteConnection

    func run(_ sql: SQL) async throws(DatabaseError) -> [Row] {
        let binds = sql.bindings.map(Self.data)
        let collected = RowCollector()
        do {
            try await connection.query(sql.text(for: .sqlite), binds) { collected.append($0) }
        } catch let error as SQLiteError {
            // sqlite-nio reports the message of the extended result code; SQLite words every
            // UNIQUE and PRIMARY KEY refusal "UNIQUE constraint failed: table.column".
            if error.message.contains("UNIQUE constraint failed") {
                throw .uniqueViolation(constraint: nil, message: error.message)
            }
            throw .statement(message: error.message, sql: sql.description)
        } catch {
            throw .statement(message: "\(error)", sql: sql.description)
        }
        return collected.rows.map { row in
            Row(columns: row.columns.map(\.name), values: row.columns.map { Self.value($0.data) })
        }
    }

    static func data(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .integer(let i): .integer(SQLiteInt64(i))
        case .real(let d): .float(d)
        case .text(let s): .text(s)
        case .blob(let b): .blob(ByteBuffer(bytes: b))
        }
    }

    static func value(_ data: SQLiteData) -> SQLValue {
        switch data {
        case .null: .null
        case .integer(let i): .integer(Int64(i))
        case .float(let d): .real(d)
        case .text(let s): .text(s)
        case .blob(let b): .blob(Array(b.readableBytesView))
        }
    }
}

/// Collects the rows sqlite-nio hands to its callback (called on one thread, in order, before
/// `query` returns).
final class RowCollector: @unchecked Sendable {
    private(set) var rows: [SQLiteRow] = []
    func append(_ row: SQLiteRow) { rows.append(row) }
}
