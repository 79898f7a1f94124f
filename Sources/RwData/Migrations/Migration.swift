/// One step of the schema: applied once, in the order of the app's list, and recorded under
/// its `id` in the table `rw_migrations`.
public struct Migration: Sendable {
    /// The name it is recorded under (never change it once applied), e.g. `"001_messages"`.
    public let id: String
    let statements: @Sendable (SQLDialect) -> [SQL]

    /// A migration whose statements are the same on SQLite and PostgreSQL.
    public init(_ id: String, _ statements: SQL...) {
        self.id = id
        self.statements = { _ in statements }
    }

    /// A migration whose statements differ between the databases (an auto-increment key is
    /// `INTEGER PRIMARY KEY` on SQLite and `BIGSERIAL PRIMARY KEY` on PostgreSQL, say).
    public init(_ id: String, sqlite: [SQL], postgres: [SQL]) {
        self.id = id
        self.statements = { $0 == .sqlite ? sqlite : postgres }
    }
}
