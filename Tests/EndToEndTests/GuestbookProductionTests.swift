import Foundation
import PostgresTestSupport
import Testing

/// The guestbook playground as deployed (the `rw build` binary and `public/`), on SQLite and on
/// PostgreSQL: the visitor's checks of ``GuestbookPlaygroundTests`` by HTTP and in headless
/// Chromium, against a new database each.
///
/// The time limit counts the wait for ``ReleaseBuilds``.
@Suite(.serialized, .timeLimit(.minutes(60)))
struct GuestbookProductionTests {
    @Test func productionOnSQLiteCreatesItsDatabaseAndServesAVisitor() async throws {
        try await GuestbookRelease.build()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-guestbook-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, address) = try await GuestbookRelease.start(database: nil, in: folder)
        do {
            try await GuestbookPlaygroundTests.checkTheApp(HTTP(base: address))
            #expect(
                FileManager.default.fileExists(atPath: folder.appendingPathComponent("db.sqlite").path),
                "SQLite is the default: db.sqlite in the folder the server started in")
            try await GuestbookPlaygroundTests.checkInTheBrowser(address)
        } catch {
            Issue.record(error)
        }
        _ = await server.stop()
    }

    @Test func productionOnPostgreSQLServesAVisitor() async throws {
        try await GuestbookRelease.build()
        let cluster = try await PostgresCluster.start()
        do {
            let (server, address) = try await GuestbookRelease.start(database: cluster.url)
            do {
                try await GuestbookPlaygroundTests.checkTheApp(HTTP(base: address))
                #expect(try await cluster.psql("SELECT count(*) FROM messages") == "12", "the posts are in PostgreSQL")
                try await GuestbookPlaygroundTests.checkInTheBrowser(address)
            } catch {
                Issue.record(error)
            }
            _ = await server.stop()
        } catch {
            Issue.record(error)
        }
        await cluster.stop()
    }
}
