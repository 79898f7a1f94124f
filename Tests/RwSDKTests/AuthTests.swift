import Foundation
import RwSDK
import RwSDKTesting
import Synchronization
import Testing

/// Typed context values, bearer tokens and guards for routes and groups of routes.
@Suite struct AuthTests {
    struct User: Codable, Sendable, Equatable {
        let id: Int
        let name: String
    }

    enum CurrentUser: RequestContextKey { typealias Value = User }
    enum RequestNumber: RequestContextKey { typealias Value = Int }

    /// Counts handler runs, so a test can see that a guarded handler never ran.
    final class Runs: Sendable {
        let count = Mutex(0)
    }

    static let tokens = ["secret-ann": User(id: 1, name: "Ann")]

    /// Puts the token's user into the context, or answers 401.
    static let requireUser: RouteGuard = { info in
        guard let token = info.request.bearerToken, let user = tokens[token] else {
            throw HTTPStatusError(401, "Sign in first.", headers: ["WWW-Authenticate": "Bearer"])
        }
        info[CurrentUser.self] = user
        return nil
    }

    static func app(runs: Runs) -> App {
        defineApp {
            middleware { info in
                info[RequestNumber.self] = 42
                info.ctx["legacy"] = "kept"
            }
            get("/public") { info in ["number": info[RequestNumber.self] ?? 0] }
            guarded(by: requireUser) {
                get("/user") { info in
                    runs.count.withLock { $0 += 1 }
                    return try info.require(CurrentUser.self)
                }
                guarded(by: { info in info[CurrentUser.self]?.name == "Ann" ? RwResponse(status: 418, text: "no tea") : nil }) {
                    get("/tea") { _ in
                        runs.count.withLock { $0 += 1 }
                        return RwResponse(text: "tea")
                    }
                }
            }
            get("/legacy") { info in RwResponse(text: (info.ctx["legacy"] as? String) ?? "") }
            get("/needs-user") { info in try info.require(CurrentUser.self) }
        }
    }

    @Test func typedContextValuesComeBackAsTheirType() async {
        await Self.app(runs: Runs()).test { client in
            #expect(await client.get("/public").text == #"{"number":42}"#)
            #expect(await client.get("/legacy").text == "kept", "values stored by name still work")
            #expect(await client.get("/needs-user").status == 500, "a required value no one stored")
        }
    }

    @Test func aTypedValueIsNilInAnEmptyContextAndFoundAmongOtherValues() {
        let info = RequestInfo(request: RwRequest(method: "GET", target: "/"))
        #expect(info[RequestNumber.self] == nil)
        info.ctx["legacy"] = "kept"
        #expect(info[RequestNumber.self] == nil, "a context holding only other values")
        info[RequestNumber.self] = 7
        #expect(info[RequestNumber.self] == 7)
        #expect(info[CurrentUser.self] == nil, "another key of the same context")
        info[RequestNumber.self] = nil
        #expect(info[RequestNumber.self] == nil)
        #expect(info.ctx["legacy"] as? String == "kept")
    }

    @Test func aGuardStopsTheHandlerAndCanStoreTheUser() async throws {
        let runs = Runs()
        await Self.app(runs: runs).test { client in
            let refused = await client.get("/user")
            #expect(refused.status == 401)
            #expect(refused.headers["WWW-Authenticate"] == "Bearer")
            #expect(await client.get("/user", headers: ["Authorization": "Bearer wrong"]).status == 401)
            #expect(runs.count.withLock { $0 } == 0, "the handler ran although the guard answered")

            for header in ["Bearer secret-ann", "Token secret-ann", "bearer  secret-ann"] {
                let user = await client.get("/user", headers: ["Authorization": header])
                #expect(user.status == 200, "\(header)")
                #expect((try? JSONDecoder().decode(User.self, from: Data(user.body))) == User(id: 1, name: "Ann"), "\(header)")
            }
            #expect(runs.count.withLock { $0 } == 3)

            // Nested guards: the outer one first, then the inner one answers.
            #expect(await client.get("/tea").status == 401)
            let tea = await client.get("/tea", headers: ["Authorization": "Token secret-ann"])
            #expect(tea.status == 418 && tea.text == "no tea")
            #expect(runs.count.withLock { $0 } == 3)
        }
    }

    @Test func bearerTokenReadsBearerAndTokenSchemesOnly() {
        func token(_ value: String?) -> String? {
            RwRequest(method: "GET", target: "/", headers: value.map { ["Authorization": $0] } ?? [:]).bearerToken
        }
        #expect(token("Bearer abc.def") == "abc.def")
        #expect(token("Token abc") == "abc")
        #expect(token("BEARER abc") == "abc")
        #expect(token("Basic YTpi") == nil)
        #expect(token("Bearer") == nil)
        #expect(token("Bearer   ") == nil)
        #expect(token(nil) == nil)
    }
}
