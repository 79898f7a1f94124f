/// What went wrong with the database, typed so an action can tell a duplicate from an outage.
/// Its description is one line, fit for a log or a terminal.
public enum DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `DATABASE_URL` cannot be used; `reason` says why.
    case invalidURL(String, reason: String)
    /// The server could not be reached (or refused the login) when connecting.
    case unreachable(String, reason: String)
    /// The connection to the server was lost; the statement may not have run. A later call
    /// connects again.
    case connectionLost(reason: String)
    /// A UNIQUE constraint or primary key refused the row.
    case uniqueViolation(constraint: String?, message: String)
    /// A migration failed; nothing of it was kept.
    case migrationFailed(id: String, reason: String)
    /// The database refused the statement for another reason.
    case statement(message: String, sql: String)
    /// A row's column could not be read as the type asked for.
    case decoding(column: String, reason: String)

    /// Whether the database could not be reached or the connection was lost: the request may
    /// succeed later (answer 503), as opposed to a statement the database refused.
    public var isUnavailable: Bool {
        switch self {
        case .unreachable, .connectionLost: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "DATABASE_URL \(url) cannot be used: \(reason)"
        case .unreachable(let target, let reason):
            "cannot connect to the database at \(target): \(reason)"
        case .connectionLost(let reason):
            "the connection to the database was lost: \(reason)"
        case .uniqueViolation(let constraint, let message):
            "unique constraint\(constraint.map { " \($0)" } ?? "") violated: \(message)"
        case .migrationFailed(let id, let reason):
            "migration \(id) failed (nothing of it was kept): \(reason)"
        case .statement(let message, let sql):
            "the database refused \(sql): \(message)"
        case .decoding(let column, let reason):
            "cannot read column \(column): \(reason)"
        }
    }
}
