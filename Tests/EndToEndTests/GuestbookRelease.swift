import Foundation
import PostgresTestSupport
import RwSubprocess
import RwTestSupport
import Testing

/// The guestbook playground as `rw build` leaves it for production: one binary, started with the
/// playground's `public/` folder.
enum GuestbookRelease {
    static let playground = Paths.root.appendingPathComponent("playground/guestbook")
    static let binary = Paths.releaseScratch.appendingPathComponent("release/dist/guestbook")

    /// Builds the guestbook for production (``ReleaseBuilds``); fails the test if `rw build` fails.
    static func build() async throws {
        let status = try await ReleaseBuilds.build(playground.path)
        try #require(status == 0, "rw build of the guestbook failed (exit \(status))")
    }

    /// Starts one production instance on a free port of 127.0.0.1, in `folder` (where SQLite's
    /// `db.sqlite` goes when `database` is `nil`), on `database` otherwise; returns once it
    /// listens.
    static func start(port: Int? = nil, database: String?, in folder: URL? = nil) async throws -> (child: ChildProcess, address: String) {
        let port = try port ?? PostgresCluster.freePort()
        var environment = ["RW_SESSION_SECRETS": "guestbook-release-test-secret-0123456789abcdef"]
        // An empty DATABASE_URL means the default, SQLite, whatever the test process was given.
        environment["DATABASE_URL"] = database ?? ""
        let child = try ChildProcess(
            binary, ["--host", "127.0.0.1", "--port", "\(port)", "--public", playground.appendingPathComponent("public").path],
            in: folder ?? playground, environment: environment)
        let line = await child.waitForLine(containing: "listening on http://")
        try #require(line != nil, "the guestbook on port \(port) did not start")
        return (child, "http://127.0.0.1:\(port)")
    }
}
