import Foundation
import PostgresTestSupport
import RwSDK
import RwSDKTesting
import Testing

@testable import RwData

/// Sessions kept in the database, seen through the framework: two `Database` handles on the same
/// database stand for two instances of an app (two processes on one SQLite file, two servers on
/// one PostgreSQL database).
@Suite(.serialized, .timeLimit(.minutes(2))) struct DatabaseSessionStoreTests {
    static let signer = SessionSigner(secrets: [String(repeating: "s", count: 32)])

    /// An instance of an app that keeps a name in its session, on `db`.
    static func instance(_ db: Database, maxAge: Int = 3600) -> App {
        defineApp(sessions: SessionOptions(store: DatabaseSessionStore(db, signer: signer), maxAge: maxAge)) {
            route("/name") { RwResponse(text: requestInfo.session["name"] ?? "none") }
            route("/sign-in/:name") { info in
                requestInfo.session["name"] = info.params["name"]
                return RwResponse(text: "signed in")
            }
            route("/sign-out") { () -> RwResponse in
                requestInfo.session.destroy()
                return RwResponse(text: "signed out")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aSessionWrittenByOneInstanceIsReadByTheOther(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            try await db.migrate([DatabaseSessionStore.migration])
            let other = Database(db.configuration)
            defer { Task { await other.close() } }
            let first = Self.instance(db)
            let second = Self.instance(other)
            try await first.test { client in
                #expect(await client.get("/name").text == "none")
                #expect(await client.get("/sign-in/Ann").status == 200)
                let cookie = try #require(client.cookies["rw_session"])
                // The cookie holds a signed id, not the values.
                #expect(!cookie.contains("Ann"))
                #expect(await second.test { await $0.get("/name", headers: ["Cookie": "rw_session=\(cookie)"]).text } == "Ann")
                // A change made on the second instance is seen by the first.
                let renamed = await second.test { other in
                    other.cookies = ["rw_session": cookie]
                    return await other.get("/sign-in/Bea")
                }
                #expect(renamed.status == 200)
                #expect(await client.get("/name").text == "Bea")
                #expect(try await db.first("SELECT count(*) AS n FROM rw_sessions")?.decode("n", as: Int.self) == 1)
                // Signed out on the first, gone for the second.
                #expect(await client.get("/sign-out").text == "signed out")
                #expect(await second.test { await $0.get("/name", headers: ["Cookie": "rw_session=\(cookie)"]).text } == "none")
                #expect(try await db.first("SELECT count(*) AS n FROM rw_sessions")?.decode("n", as: Int.self) == 0)
            }
            await other.close()
        }
    }

    @Test(arguments: Backend.allCases)
    func anExpiredSessionIsANewEmptyOneAndIsDeleted(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            try await db.migrate([DatabaseSessionStore.migration])
            let store = DatabaseSessionStore(db, signer: Self.signer)
            let token = try await store.save(["name": "Ann"], token: nil, expires: Date(timeIntervalSinceNow: -1))
            let live = try await store.save(["name": "Cy"], token: nil, expires: Date(timeIntervalSinceNow: 3600))
            #expect(try await store.load(token) == nil)
            #expect(try await store.load(live) == ["name": "Cy"])
            // Through the framework: the expired cookie reads as an empty session and is expired.
            let page = await Self.instance(db).test { await $0.get("/name", headers: ["Cookie": "rw_session=\(token)"]) }
            #expect(page.text == "none")
            #expect(page.headers.values(for: "Set-Cookie").contains { $0.hasPrefix("rw_session=;") && $0.contains("Max-Age=0") })
            // Signing in again gives a new id, not the expired one.
            let again = await Self.instance(db).test { client in
                client.cookies = ["rw_session": token]
                _ = await client.get("/sign-in/Ann")
                return client.cookies["rw_session"]
            }
            #expect(again != nil && again != token)
            let ids = try await db.query("SELECT id FROM rw_sessions").map { try $0.decode("id", as: String.self) }
            #expect(ids.count == 2, "the expired row was deleted, the live one and the new one kept: \(ids)")
        }
    }

    @Test(arguments: Backend.allCases)
    func aTamperedCookieIsANewEmptySession(backend: Backend) async throws {
        try await withDatabase(backend) { db, _ in
            try await db.migrate([DatabaseSessionStore.migration])
            let app = Self.instance(db)
            let cookie = try await app.test { client in
                _ = await client.get("/sign-in/Ann")
                return try #require(client.cookies["rw_session"])
            }
            let dot = try #require(cookie.firstIndex(of: "."))
            // Another id under the same signature, the same id with another signature, and an
            // id signed with another secret.
            var otherID = Array(cookie)
            otherID[0] = otherID[0] == "A" ? "B" : "A"
            let stranger = DatabaseSessionStore(db, signer: SessionSigner(secrets: [String(repeating: "x", count: 32)]))
            let foreign = try await stranger.save(["name": "Mallory"], token: nil, expires: Date(timeIntervalSinceNow: 3600))
            for forged in [String(otherID), String(cookie[...dot]) + "AAAA", foreign] {
                let page = await app.test { await $0.get("/name", headers: ["Cookie": "rw_session=\(forged)"]) }
                #expect(page.status == 200)
                #expect(page.text == "none", "\(forged) is not a valid session")
            }
        }
    }
}
