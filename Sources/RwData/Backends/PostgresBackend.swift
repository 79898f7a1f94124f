// Built only with the RwSDK package's PostgreSQL trait (on by default).
#if PostgreSQL
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// PostgreSQL through postgres-nio's `PostgresClient`: a pool of connections that connects
/// lazily, keeps its connections, and replaces one the server closed at the next lease.
final class PostgresBackend: DatabaseBackend {
    let client: PostgresClient
    /// The settings of one connection, for ``check()``.
    let connectionConfiguration: PostgresConnection.Configuration
    let target: String
    let logger: Logger
    /// How long a statement waits for a connection of the pool before it gives up.
    let connectionWait: Duration
    private let runner: Task<Void, Never>

    init(
        host: String, port: Int, user: String, password: String?, database: String, tls: Bool,
        minimumConnections: Int, maximumConnections: Int, connectionWait: Duration, logger: Logger
    ) {
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
        configuration.options.minimumConnections = min(minimumConnections, maximumConnections)
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.target = host.hasPrefix("/") ? "\(host) (port \(port))" : "\(host):\(port)"
        self.logger = logger
        self.connectionWait = connectionWait
        self.runner = Task { await client.run() }
    }

    /// Runs `body` with a connection of the pool, lent to this caller alone whatever the `use`.
    /// A connection found closed before anything was sent on it (the server ended it, and the
    /// pool has not heard yet) is given back once the pool has heard, and `body` runs on
    /// another: a lost idle connection fails no statement.
    func withConnection<R: Sendable>(for use: ConnectionUse, _ body: @Sendable (any BackendConnection) async throws -> R) async throws -> R {
        do {
            return try await withoutActuallyEscaping(body) { body in
                var attempt = 1
                while true {
                    let lease = LeaseRecord()
                    do {
                        return try await leased(lease, body)
                    } catch {
                        // The pool hears of a close from the channel's close future, in the
                        // callback it registered first: once that future completes, it knows.
                        guard let closed = lease.closedBeforeSending, attempt < 3 else { throw error }
                        await Self.closing(closed)
                        attempt += 1
                    }
                }
            }
        } catch let error as PSQLError {
            throw Self.translate(error, sql: nil, target: target)
        } catch let error where String(describing: type(of: error)) == "ConnectionPoolError" {
            // The pool gave up connecting (its circuit breaker tripped after repeated failures).
            throw DatabaseError.unreachable(target, reason: "\(error)")
        }
    }

    /// Runs `body` with a connection of the pool, waiting at most ``connectionWait`` for one:
    /// while the server cannot be reached the pool keeps retrying in the background, and a
    /// caller gets ``DatabaseError/unreachable(_:reason:)`` instead of waiting for it. Once
    /// `body` has its connection it runs as long as it needs (a transaction may stay open).
    ///
    /// The lease runs in a child task; the wait is bounded by a timer of the pool's event loops,
    /// so no second task sleeps beside every statement.
    private func leased<R: Sendable>(
        _ record: LeaseRecord, _ body: @escaping @Sendable (any BackendConnection) async throws -> R
    ) async throws -> R {
        let lease = LeaseWait()
        let wait = connectionWait
        return try await withThrowingTaskGroup(of: Void.self) { group in
            var timer: Scheduled<Void>?
            let outcome = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<LeaseWait.Outcome<R>, any Error>) in
                let answer = FirstAnswer(continuation)
                timer = PostgresClient.defaultEventLoopGroup.any().scheduleTask(in: TimeAmount(wait)) {
                    if lease.giveUp() { answer.resume(.success(.waited)) }
                }
                group.addTask {
                    do {
                        let value = try await self.client.withConnection { connection in
                            guard lease.take() else { throw CancellationError() }
                            do {
                                return try await body(PostgresBackendConnection(connection: connection, logger: self.logger, record: record))
                            } catch {
                                // A lost connection goes back to the pool only once the pool has
                                // heard of its close, so the next caller is not handed it.
                                if case DatabaseError.connectionLost = error { await Self.closing(connection.closeFuture) }
                                throw error
                            }
                        }
                        answer.resume(.success(.value(value)))
                    } catch {
                        answer.resume(.failure(error))
                    }
                }
            }
            timer?.cancel()
            switch outcome {
            case .value(let value):
                return value
            case .waited:
                group.cancelAll()
                throw DatabaseError.unreachable(target, reason: "no connection could be made within \(wait)")
            }
        }
    }

    /// Returns once a connection's `closeFuture` has completed (the pool, which registered on it
    /// first, has then heard of the close), or after a second.
    private static func closing(_ closeFuture: EventLoopFuture<Void>) async {
        _ = try? await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let answer = FirstAnswer(continuation)
            let timer = closeFuture.eventLoop.scheduleTask(in: .seconds(1)) { answer.resume(.success(())) }
            closeFuture.whenComplete { _ in
                timer.cancel()
                answer.resume(.success(()))
            }
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

    /// What `error` says to a person: the server's message for a server error (a `PSQLError`
    /// describes itself only generically), its own description otherwise.
    private static func reason(_ error: (any Error)?) -> String? {
        guard let error else { return nil }
        guard let psql = error as? PSQLError else { return "\(error)" }
        return psql.serverInfo?[.message] ?? reason(psql.underlying) ?? "\(psql.code)"
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
            let reason = reason(error.underlying) ?? "\(error.code)"
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
    /// What happened on this lease.
    let record: LeaseRecord

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
            return try await send(PostgresQuery(unsafeSQL: sql.text(for: .postgres), binds: binds))
        } catch let error as PSQLError {
            throw PostgresBackend.translate(error, sql: sql, target: "the server")
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw .statement(message: "\(error)", sql: sql.description)
        }
    }

    /// Sends `query` and reads all its rows, or gives up when the connection is found closed: a
    /// statement written to a connection the server has just closed can be dropped by the
    /// channel's pipeline (postgres-nio's handler is gone by then), and then nothing ever answers
    /// it. So the channel is checked every second while the rows are awaited, and a closed one
    /// ends the wait with ``DatabaseError/connectionLost(reason:)`` (the dropped query's task is
    /// left waiting: ending it would free an unfulfilled promise, which debug builds of NIO trap).
    /// A statement that is slow on a live connection is not limited.
    private func send(_ query: PostgresQuery) async throws -> [Row] {
        let connection = connection
        guard !connection.isClosed else {
            record.foundClosed(connection.closeFuture)
            throw DatabaseError.connectionLost(reason: "the server had closed the connection")
        }
        record.sending()
        return try await withCheckedThrowingContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let watchdog = connection.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { task in
                guard connection.isClosed else { return }
                task.cancel()
                answer.resume(.failure(DatabaseError.connectionLost(reason: "the connection closed before the server answered")))
            }
            Task {
                do {
                    answer.resume(.success(try await rows(of: query)))
                } catch {
                    answer.resume(.failure(error))
                }
                watchdog.cancel()
            }
        }
    }

    /// Runs `query` and reads its rows.
    private func rows(of query: PostgresQuery) async throws -> [Row] {
        var rows: [Row] = []
        let sequence = try await connection.query(query, logger: logger)
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

/// The race between a lease and its wait: the first of ``take()`` (the lease arrived) and
/// ``giveUp()`` (the wait ended) wins, so a connection that arrives after the caller gave up is
/// handed back unused.
final class LeaseWait: Sendable {
    enum Outcome<R: Sendable>: Sendable {
        case value(R)
        case waited
    }

    private enum State { case waiting, leased, gaveUp }
    private let state = Mutex(State.waiting)

    /// Whether the lease may be used: `false` once the caller gave up.
    func take() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .leased
            return true
        }
    }

    /// Whether the caller gives up: `false` once the lease arrived.
    func giveUp() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .gaveUp
            return true
        }
    }
}

/// What happened on one lease of a connection: whether a statement was sent on it, and whether
/// the connection was found closed before any was.
final class LeaseRecord: Sendable {
    private struct State {
        var sent = false
        var closedBeforeSending: EventLoopFuture<Void>?
    }

    private let state = Mutex(State())

    /// A statement is about to be sent.
    func sending() {
        state.withLock { $0.sent = true }
    }

    /// The connection was found closed; `closeFuture` completes once the pool has heard.
    func foundClosed(_ closeFuture: EventLoopFuture<Void>) {
        state.withLock { if !$0.sent { $0.closedBeforeSending = closeFuture } }
    }

    /// The connection's close future when it was found closed before any statement was sent.
    var closedBeforeSending: EventLoopFuture<Void>? { state.withLock { $0.closedBeforeSending } }
}

/// Resumes a continuation with the first answer it is given and ignores the others.
final class FirstAnswer<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ result: Result<T, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
    }
}
#endif
