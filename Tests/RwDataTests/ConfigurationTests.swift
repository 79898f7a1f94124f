import Testing

@testable import RwData

@Suite(.timeLimit(.minutes(10))) struct ConfigurationTests {
    @Test func withoutDatabaseURLTheDefaultIsAnSQLiteFileInTheAppFolder() throws {
        #expect(try DatabaseConfiguration.fromEnvironment([:], folder: "/apps/guestbook") == .sqlite(path: "/apps/guestbook/db.sqlite"))
        #expect(try DatabaseConfiguration.fromEnvironment(["DATABASE_URL": ""], folder: "/a") == .sqlite(path: "/a/db.sqlite"))
        #expect(try DatabaseConfiguration.fromEnvironment(["DATABASE_URL": "sqlite:data/app.db"], folder: "/a") == .sqlite(path: "/a/data/app.db"))
        #expect(try DatabaseConfiguration.fromEnvironment(["DATABASE_URL": "sqlite::memory:"], folder: "/a") == .sqlite(path: ":memory:"))
    }

    @Test func postgresURLsNameServerUserAndDatabase() throws {
        let config = try DatabaseConfiguration.parse("postgres://ann:p%40ss@db.local:6543/shop?sslmode=require", folder: "/")
        #expect(config == .postgres(host: "db.local", port: 6543, user: "ann", password: "p@ss", database: "shop", tls: true))
        #expect(config.dialect == .postgres)
        #expect(config.description == "postgres://ann@db.local:6543/shop")
        let socket = try DatabaseConfiguration.parse("postgresql://ann@localhost/shop?host=/run/postgresql", folder: "/")
        #expect(socket == .postgres(host: "/run/postgresql", port: 5432, user: "ann", password: nil, database: "shop", tls: false))
    }

    @Test(arguments: [
        ("mysql://ann@host/db", "unknown scheme mysql://"),
        ("postgres://ann:secret@host", "no database name"),
        ("postgres://host:5432/db", "no user name"),
        ("postgres://ann@h/db?sslmode=sometimes", "unknown sslmode sometimes"),
        ("sqlite:", "no file path")
    ])
    func badURLsStopWithOneLineSayingWhy(url: String, reason: String) throws {
        let error = #expect(throws: DatabaseError.self) { try DatabaseConfiguration.parse(url, folder: "/") }
        let line = try #require(error).description
        #expect(line.contains(reason))
        #expect(!line.contains("\n"))
        #expect(!line.contains("secret"))
    }

    /// A build without the PostgreSQL trait refuses a PostgreSQL URL at start with one line that
    /// says what to add to Package.swift (and hides the password); SQLite URLs still work.
    @Test func aPostgresURLWithoutPostgreSQLSupportSaysWhatToAdd() throws {
        let error = #expect(throws: DatabaseError.self) {
            try DatabaseConfiguration.parse("postgres://ann:secret@db.local/shop", folder: "/", supportingPostgreSQL: false)
        }
        let line = try #require(error).description
        #expect(line.contains(#"add the "PostgreSQL" trait to the RwSDK dependency in Package.swift"#), "\(line)")
        #expect(!line.contains("\n") && !line.contains("secret"), "\(line)")
        #expect(try DatabaseConfiguration.parse("sqlite:app.db", folder: "/a", supportingPostgreSQL: false) == .sqlite(path: "/a/app.db"))
        // This package builds itself with its default traits, PostgreSQL among them.
        #expect(DatabaseConfiguration.supportsPostgreSQL)
    }
}
