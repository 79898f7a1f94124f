import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// PostgreSQL through postgres-nio's `PostgresClient`: a pool of connections that connects
/// lazily, keeps its connections, and replaces one the server closed at the next lease.
final class PostgresBackend: DatabaseBackend {
    let client: PostgresClient
    /// The settings of one connection, for ``check()``.
    let connectionConfiguration: PostgresConnection.Configuration
    let target: String
    let logger: Logger
    private let runner: Task<Void, Never>

    init(host: String, port: Int, user: String, password: String?, database: String, tls: Bool,
         maximumConnections: Int, logger: Logger) {
        var configuration: PostgresClient.Configuration
        if host.hasPrefix("/") {
            let socket = host.hasSuffix(".s.PGSQL.\(port)") ? host : "\(host)/.s.PGSQL.\(port)"
            configuration = .init(unixSocketPath: socket, username: user, password: password, database: database)
            connectionConfiguration = .init(unixSocketPath: socket, username: user, password: password, database: database)
        } else {
            connectionConfiguration = .init(
                host: host, port: port, username: user, password: password, database: database,
                tls: tls ? (try? NIOSSLContext(configuration: .makeClientConfiguration())).map { .require($0) } ?? .disable : .disable)
            configuration = .init(
                host: host, port: port, username: user, password: password, database: database,
                tls: tls ? .require(.makeClientConfiguration()) : .disable)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.target = host.hasPrefix("/") ? "\(host) (port \(port))" : "\(host):\(port)"
        self.logger = logger
        self.runner = Task { await client.run() }
    }

    func withConnection<R: Sendable>(_ body: @Sendable (any BackendConnection) async throws -> R) async throws -> R {
        do {
            return try await client.withConnection { connection in
                try await body(PostgresBackendConnection(connection: connection, logger: logger))
            }
        } catch let error as PSQLError {
            throw Self.translate(error, sql: nil, target: target)
        } catch where String(describing: type(of: error)) == "ConnectionPoolError" {
            // The pool gave up connecting (its circuit breaker tripped after repeated failures).
            throw DatabaseError.unreachable(target, reason: "\(error)")
        }
    }

    /// Opens one connection outside the pool (bounded by the connect timeout) and closes it:
    /// a server that cannot be reached or refuses the login is reported at once, in one line.
    func check() async throws(DatabaseError) {
        var configuration = connectionConfiguration
        configuration.options.connectTimeout = .seconds(5)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
        } catch let error as PSQLError {
            throw Self.translate(error, sql: nil, target: target)
        } catch {
            throw .unreachable(target, reason: "\(error)")
        }
    }

    func close() async {
        runner.cancel()
        _ = await runner.value
    }

    /// The ``DatabaseError`` for a postgres-nio error.
    static func translate(_ error: PSQLError, sql: SQL?, target: String) -> DatabaseError {
        if let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? "\(error)"
            if state == "23505" {
                return .uniqueViolation(constraint: error.serverInfo?[.constraintName], message: message)
            }
            if state.hasPrefix("28") || state == "3D000" {
                return .unreachable(target, reason: message)
            }
            if state.hasPrefix("08") || state == "57P01" {
                return .connectionLost(reason: message)
            }
            return .statement(message: message, sql: sql?.description ?? "")
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            let reason = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return sql == nil ? .unreachable(target, reason: reason) : .connectionLost(reason: reason)
        default:
            return .statement(message: "\(error.code)", sql: sql?.description ?? "")
        }
    }
}

/// A PostgreSQL connection as lent to one caller.
struct PostgresBackendConnection: BackendConnection {
    let connection: PostgresConnection
    let logger: Logger

    func run(_ sql: SQL) async throws(DatabaseError) -> [Row] {
        var binds = PostgresBindings()
        for value in sql.bindings {
            switch value {
            case .null: binds.appendNull()
            case .integer(let i): binds.append(i)
            case .real(let d): binds.append(d)
            case .text(let s): binds.append(s)
            case .blob(let b): binds.append(ByteBuffer(bytes: b))
            }
        }
        do {
            var rows: [Row] = []
            let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql.text(for: .postgres), binds: binds), logger: logger)
            for try await row in sequence {
                var columns: [String] = []
                var values: [SQLValue] = []
                for cell in row {
                    columns.append(cell.columnName)
                    values.append(try Self.value(cell))
                }
                rows.append(Row(columns: columns, values: values))
            }
            return rows
        } catch let error as PSQLError {
            throw PostgresBackend.translate(error, sql: sql, target: "the server")
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw .statement(message: "\(error)", sql: sql.description)
        }
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric:
            let text = try cell.decode(String.self)
            guard let number = Double(text) else {
                throw DatabaseError.decoding(column: cell.columnName, reason: "numeric \(text) is not a Double")
            }
            return .real(number)
        case .bytea: return .blob(Array(try cell.decode(ByteBuffer.self).readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }
}
