import Foundation
import RwSDK
import RwSDKTesting
import Testing

/// CORS and the security header fields with a per-request CSP nonce.
@Suite struct SecurityMiddlewareTests {
    static let app = defineApp {
        cors(CORSOptions(origins: .list(["https://app.example"]), headers: ["Authorization", "Content-Type"], exposedHeaders: ["X-Total"], credentials: true))
        get("/items") { _ in ["a", "b"] }
        get("/fails") { _ -> RwResponse in throw HTTPStatusError(403, "No.") }
    }

    @Test func aPreflightIsAnsweredWithTheAllowedMethodsAndHeaders() async {
        await Self.app.test(environment: .production) { client in
            let preflight = await client.request(
                .options, "/items",
                headers: ["Origin": "https://app.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization"])
            #expect(preflight.status == 204)
            #expect(preflight.headers["Access-Control-Allow-Origin"] == "https://app.example")
            #expect(preflight.headers["Access-Control-Allow-Methods"] == "DELETE, GET, HEAD, PATCH, POST, PUT")
            #expect(preflight.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type")
            #expect(preflight.headers["Access-Control-Allow-Credentials"] == "true")
            #expect(preflight.headers["Access-Control-Max-Age"] == "600")
            #expect(preflight.headers["Vary"] == "Origin")
        }
    }

    @Test func responsesAndErrorsToAnAllowedOriginCarryTheHeaders() async {
        await Self.app.test(environment: .production) { client in
            let origin: Headers = ["Origin": "https://app.example", "Accept": "application/json"]
            for (target, status) in [("/items", 200), ("/fails", 403), ("/nowhere", 404)] {
                let response = await client.get(target, headers: origin)
                #expect(response.status.code == status, "\(target)")
                #expect(response.headers["Access-Control-Allow-Origin"] == "https://app.example", "\(target)")
                #expect(response.headers["Access-Control-Allow-Credentials"] == "true", "\(target)")
                #expect(response.headers["Access-Control-Expose-Headers"] == "X-Total", "\(target)")
            }
            let stranger = await client.get("/items", headers: ["Origin": "https://evil.example"])
            #expect(stranger.status == 200)
            #expect(stranger.headers["Access-Control-Allow-Origin"] == nil)
            #expect(stranger.headers["Vary"] == "Origin")
            let strangerPreflight = await client.request(
                .options, "/items", headers: ["Origin": "https://evil.example", "Access-Control-Request-Method": "GET"])
            #expect(strangerPreflight.headers["Access-Control-Allow-Origin"] == nil)
        }
    }

    @Test func anyOriginWithoutCredentialsIsAStar() async {
        let app = defineApp {
            cors(CORSOptions())
            get("/items") { _ in ["a"] }
        }
        let response = await app.handle(RwRequest(method: "GET", target: "/items", headers: ["Origin": "https://x.example"]))
        #expect(response.headers["Access-Control-Allow-Origin"] == "*")
        #expect(response.headers["Vary"] == nil)
    }

    @Test func securityHeadersCarryAFreshNonceThatTheRuntimeScriptUses() async throws {
        let app = defineApp {
            securityHeaders()
            get("/") { _ in Fragment { clientRuntimeScript() } }
        }
        try await app.test(environment: .production) { client in
            let first = await client.get("/")
            let second = await client.get("/")
            #expect(first.headers["X-Content-Type-Options"] == "nosniff")
            #expect(first.headers["X-Frame-Options"] == "DENY")
            #expect(first.headers["Referrer-Policy"] == "strict-origin-when-cross-origin")
            let policy = try #require(first.headers["Content-Security-Policy"])
            let nonce = try #require(policy.firstMatch(of: /'nonce-([A-Za-z0-9+\/=]+)'/)?.1)
            #expect(nonce.count == 24)
            #expect(first.text.contains(#"nonce="\#(nonce)""#), "\(first.text)")
            #expect(second.headers["Content-Security-Policy"] != policy, "each request gets its own nonce")
            let missing = await client.get("/nowhere")
            #expect(missing.status == 404 && missing.headers["Content-Security-Policy"] != nil)
        }
    }
}
