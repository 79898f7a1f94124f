import Foundation
import PostgresTestSupport
import RwSDK
import RwSDKTesting
import Testing

@testable import RwData

/// A production app whose database goes away: the request that meets the outage gets a 503 page
/// (never a 500, never a crash), and the next request after the database is back works.
extension PostgresFailureTests {
    /// An app with a statement that sleeps on the server and one that answers at once.
    static func app(_ db: Database) -> App {
        defineApp {
            route("/slow") { () -> RwResponse in
                let row = try await db.first("SELECT pg_sleep(30) IS NULL AS slept")
                return RwResponse(text: "slept=\(try row?.decode("slept", as: Bool.self) ?? false)")
            }
            route("/pid") { () -> RwResponse in
                RwResponse(text: "\(try await db.first("SELECT pg_backend_pid() AS pid")?.decode("pid", as: Int.self) ?? 0)")
            }
        }
    }

    /// Checks `page` is the 503 page of an unavailable database, naming no statement.
    static func expectUnavailable(_ page: TestResponse, _ comment: Comment) {
        #expect(page.status == 503, comment)
        #expect(page.headers["Retry-After"] == "1", comment)
        #expect(page.text.contains("Service Unavailable"), comment)
        #expect(page.text.contains("The database is unavailable"), comment)
        #expect(!page.text.contains("SELECT"), "a production page names no statement")
    }

    /// Ends the pool's one connection, then at once sends a statement, 300 times, at delays
    /// that land the statement before, during and after the close: each one succeeds (on a new
    /// connection) or throws `connectionLost`, and none waits more than a few seconds. Before
    /// the statements watched the channel, one in a few hundred waited forever (written after
    /// the channel's handlers were gone, it was never answered).
    @Test func aStatementRacingTheServersCloseNeverWaitsForever() async throws {
        try await withDatabase(.postgres, maximumConnections: 1) { db, _ in
            let killer = Database(db.configuration, maximumConnections: 1)
            var outcomes: [String: Int] = [:]
            for round in 0..<300 {
                guard let pid = try? await db.first("SELECT pg_backend_pid() AS pid")?.decode("pid", as: Int.self) else { continue }
                try await killer.query("SELECT pg_terminate_backend(CAST(\(pid) AS integer))")
                if round % 5 > 0 { try await Task.sleep(for: .microseconds(round % 5 * 200)) }
                let outcome = await Self.within(.seconds(5)) { () async -> String in
                    do throws(DatabaseError) {
                        _ = try await db.first("SELECT 1 AS one")
                        return "ok"
                    } catch {
                        if case .connectionLost = error { return "connectionLost" }
                        return "\(error)"
                    }
                }
                outcomes[outcome ?? "no answer within 5 s", default: 0] += 1
                if outcome == nil { break }
            }
            #expect(Set(outcomes.keys).isSubset(of: ["ok", "connectionLost"]), "\(outcomes)")
            #expect(outcomes["ok", default: 0] > 0)
            await killer.close()
        }
    }

    /// `body`'s result, or `nil` when it has none within `limit` (then `body` is left running).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
        let result: T?? = try? await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T?, any Error>) in
            let answer = FirstAnswer(continuation)
            let work = Task { answer.resume(.success(await body())) }
            Task {
                try? await Task.sleep(for: limit)
                answer.resume(.success(nil))
                _ = work
            }
        }
        return result ?? nil
    }

    @Test func aRequestWhoseConnectionIsLostIsA503PageAndTheNextOneWorks() async throws {
        try await withDatabase(.postgres, maximumConnections: 2) { db, cluster in
            let cluster = try #require(cluster)
            try await Self.app(db).test(environment: .production) { client in
                #expect(await client.get("/pid").status == 200)
                async let slow = client.get("/slow")
                // The statement is running on the server: end its backend.
                var sleeping = ""
                for _ in 0..<400 where sleeping.isEmpty {
                    sleeping = try await cluster.psql(
                        "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'")
                    if sleeping.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
                }
                try #require(!sleeping.isEmpty, "the slow statement never ran")
                #expect(try await cluster.psql("SELECT pg_terminate_backend(\(sleeping))") == "t")
                Self.expectUnavailable(await slow, "the request whose connection was lost")
                let next = await client.get("/pid")
                #expect(next.status == 200, "the next request gets a new connection: \(next.text)")
                #expect(Int(next.text) != Int(sleeping))
            }
        }
    }

    @Test func whileTheServerIsDownRequestsAre503AndTheyWorkOnceItIsBack() async throws {
        try await withDatabase(.postgres) { _, cluster in
            let cluster = try #require(cluster)
            let db = Database(try DatabaseConfiguration.parse(cluster.url, folder: "/"), connectionWait: .seconds(2))
            try await Self.app(db).test(environment: .production) { client in
                #expect(await client.get("/pid").status == 200)
                try await cluster.stopServer()
                for attempt in 1...3 {
                    Self.expectUnavailable(await client.get("/pid"), "request \(attempt) while the server is down")
                }
                try await cluster.startServer()
                // The pool connects again at its next attempt (it backs off between them).
                var page = await client.get("/pid")
                for _ in 0..<50 where page.status != 200 {
                    try await Task.sleep(for: .milliseconds(200))
                    page = await client.get("/pid")
                }
                #expect(page.status == 200, "requests work once the server is back: \(page.text)")
            }
            await db.close()
        }
    }
}
