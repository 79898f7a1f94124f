public import Foundation
public import RwSDK

/// Keeps sessions in the app's database (table `rw_sessions`), so every instance of the app
/// that shares the database sees them, and they survive restarts. The cookie holds only a
/// random 256-bit id, signed by `signer` (give every instance the same `RW_SESSION_SECRETS`).
///
/// Add ``migration`` to the app's migrations:
///
/// ```swift
/// let db = defineDatabase(migrations: [DatabaseSessionStore.migration, …])
/// public let app = defineApp(sessions: SessionOptions(store: DatabaseSessionStore(db))) { … }
/// ```
public struct DatabaseSessionStore: SessionStore {
    /// The migration that creates the sessions table.
    public static let migration = Migration(
        "rw_sessions",
        "CREATE TABLE rw_sessions (id TEXT PRIMARY KEY, data TEXT NOT NULL, expires BIGINT NOT NULL)",
        "CREATE INDEX rw_sessions_expires ON rw_sessions (expires)"
    )

    let database: Database
    let signer: SessionSigner

    /// A store in `database` whose ids are signed with `signer`.
    public init(_ database: Database, signer: SessionSigner = .fromEnvironment()) {
        self.database = database
        self.signer = signer
    }

    public func load(_ token: String) async throws -> [String: String]? {
        guard let id = signer.verify(token).map(Self.hex) else { return nil }
        guard let row = try await database.first("SELECT data, expires FROM rw_sessions WHERE id = \(id)") else {
            return nil
        }
        guard try row.decode("expires", as: Int64.self) > Self.now() else {
            try await database.query("DELETE FROM rw_sessions WHERE id = \(id)")
            return nil
        }
        let data = Data(try row.decode("data", as: String.self).utf8)
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    public func save(_ values: [String: String], token: String?, expires: Date) async throws -> String {
        let existing = token.flatMap { signer.verify($0) }
        var generator = SystemRandomNumberGenerator()
        let idBytes = existing ?? (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let id = Self.hex(idBytes)
        let data = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
        let expiresAt = Int64(expires.timeIntervalSince1970)
        if existing == nil {
            // A new session: forget the expired ones on the way.
            try await database.query("DELETE FROM rw_sessions WHERE expires <= \(Self.now())")
        }
        try await database.query(
            """
            INSERT INTO rw_sessions (id, data, expires) VALUES (\(id), \(data), \(expiresAt))
            ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires = excluded.expires
            """)
        return existing == nil ? signer.sign(idBytes) : token!
    }

    public func delete(_ token: String) async throws {
        guard let id = signer.verify(token).map(Self.hex) else { return }
        try await database.query("DELETE FROM rw_sessions WHERE id = \(id)")
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.string(bytes) }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
