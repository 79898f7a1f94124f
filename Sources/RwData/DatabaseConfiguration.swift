public import Foundation

/// Which database an app uses: an SQLite file (the default) or a PostgreSQL server.
public enum DatabaseConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite database in the file at `path` (created when missing).
    case sqlite(path: String)
    /// A PostgreSQL server at `host`:`port` (a Unix socket folder when `host` starts with `/`).
    case postgres(host: String, port: Int, user: String, password: String?, database: String, tls: Bool)

    /// The file name of the default SQLite database, in the app's folder.
    public static let defaultSQLiteFile = "db.sqlite"

    /// The configuration `DATABASE_URL` names, or an SQLite file `db.sqlite` in `folder` (the
    /// app's folder: the current directory, where `rw dev` and `rw preview` start the app) when
    /// it is unset or empty.
    ///
    /// Accepted: `postgres://user:password@host:port/database` (also `postgresql://`; the query
    /// `?sslmode=require` asks for TLS, `?host=/socket/folder` connects through a Unix socket),
    /// `sqlite:path` or `sqlite://path` (relative to `folder`), and `sqlite::memory:`.
    /// Throws ``DatabaseError/invalidURL(_:reason:)`` for anything else.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        folder: String = FileManager.default.currentDirectoryPath
    ) throws(DatabaseError) -> DatabaseConfiguration {
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            return .sqlite(path: (folder as NSString).appendingPathComponent(defaultSQLiteFile))
        }
        return try parse(url, folder: folder)
    }

    /// Whether this build of RwData can connect to PostgreSQL: the RwSDK package's `PostgreSQL`
    /// trait (on by default) compiles postgres-nio and swift-nio-ssl in; an app that depends on
    /// RwSDK with `traits: []` builds neither.
    public static var supportsPostgreSQL: Bool {
        #if PostgreSQL
        true
        #else
        false
        #endif
    }

    /// Why a PostgreSQL URL cannot be used by a build without PostgreSQL support: what to add.
    static let postgreSQLMissingReason =
        #"this app was built without PostgreSQL support; add the "PostgreSQL" trait to the RwSDK dependency in Package.swift (.package(…, traits: ["PostgreSQL"]), or remove traits: [] to get the default) and build again"#

    /// The configuration `url` names (see ``fromEnvironment(_:folder:)``). A PostgreSQL URL in a
    /// build without PostgreSQL support (``supportsPostgreSQL``) throws
    /// ``DatabaseError/invalidURL(_:reason:)`` saying what to add.
    public static func parse(_ url: String, folder: String) throws(DatabaseError) -> DatabaseConfiguration {
        try parse(url, folder: folder, supportingPostgreSQL: supportsPostgreSQL)
    }

    /// ``parse(_:folder:)`` for a build that does or does not support PostgreSQL.
    static func parse(_ url: String, folder: String, supportingPostgreSQL: Bool) throws(DatabaseError) -> DatabaseConfiguration {
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw .invalidURL(url, reason: "no file path after sqlite:") }
            if path == ":memory:" { return .sqlite(path: path) }
            return .sqlite(path: path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path))
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw .invalidURL(redacted(url), reason: "not a URL (expected postgres://user:password@host:5432/database or sqlite:path)")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw .invalidURL(redacted(url), reason: "unknown scheme \(scheme):// (expected postgres:// or sqlite:)")
        }
        guard supportingPostgreSQL else { throw .invalidURL(redacted(url), reason: postgreSQLMissingReason) }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let host = query["host"] ?? components.host ?? ""
        guard !host.isEmpty else { throw .invalidURL(redacted(url), reason: "no host") }
        guard let user = components.user, !user.isEmpty else { throw .invalidURL(redacted(url), reason: "no user name") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw .invalidURL(redacted(url), reason: "no database name after the host") }
        let tls: Bool
        switch query["sslmode"] ?? "disable" {
        case "disable", "allow", "prefer": tls = false
        case "require", "verify-ca", "verify-full": tls = true
        case let other: throw .invalidURL(redacted(url), reason: "unknown sslmode \(other)")
        }
        return .postgres(
            host: host, port: components.port ?? 5432, user: user,
            password: components.password?.removingPercentEncoding, database: database, tls: tls)
    }

    /// The dialect of this database.
    public var dialect: SQLDialect {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Where the database is, without the password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let host, let port, let user, _, let database, _):
            host.hasPrefix("/") ? "postgres://\(user)@/\(database)?host=\(host)" : "postgres://\(user)@\(host):\(port)/\(database)"
        }
    }

    /// `url` with its password replaced by `***`, for error messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
