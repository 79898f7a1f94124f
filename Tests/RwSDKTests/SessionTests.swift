import Foundation
import Testing

@testable import RwSDK

/// Sends requests to an app carrying the cookies it set, as a browser would.
private struct CookieJar {
    var cookies: [String: String] = [:]

    mutating func send(_ app: App, _ method: RequestMethod = .get, _ target: String) async -> (status: ResponseStatus, headers: Headers, text: String) {
        let header = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let response = await RwSDKTests.send(app, method, target, headers: header.isEmpty ? [:] : ["Cookie": header])
        for field in response.headers.values(for: "Set-Cookie") {
            let pair = field.split(separator: ";")[0]
            let equals = pair.firstIndex(of: "=")!
            let name = String(pair[..<equals])
            if field.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(pair[pair.index(after: equals)...]) }
        }
        return response
    }
}

@Suite(.timeLimit(.minutes(5))) struct SessionTests {
    static func app(_ options: SessionOptions) -> App {
        defineApp(sessions: options) {
            route("/set/:value") { info in
                requestInfo.session["greeting"] = info.params["value"]
                return RwResponse(text: "set")
            }
            route("/get") { RwResponse(text: requestInfo.session["greeting"] ?? "none") }
            route("/destroy") { () -> RwResponse in
                requestInfo.session.destroy()
                return RwResponse(text: "gone")
            }
            route("/plain") { RwResponse(text: "plain") }
            route("/public") { () -> RwResponse in
                _ = requestInfo.session["greeting"]
                requestInfo.response.headers["Cache-Control"] = "public, max-age=60"
                return RwResponse(text: "shared")
            }
        }
    }

    static let signer = SessionSigner(secrets: [String(repeating: "k", count: 32)])

    @Test(arguments: ["cookie", "memory"])
    func aSessionLastsAcrossRequestsUntilDestroyed(store: String) async {
        let app = Self.app(SessionOptions(store: store == "cookie" ? CookieSessionStore(signer: Self.signer) : MemorySessionStore(signer: Self.signer)))
        var jar = CookieJar()
        #expect(await jar.send(app, "GET", "/get").text == "none")
        #expect(jar.cookies.isEmpty, "reading an empty session sets no cookie")
        let set = await jar.send(app, "GET", "/set/Hello%20Ann")
        #expect(set.headers["Cache-Control"] == "private")
        let cookie = try! #require(set.headers.values(for: "Set-Cookie").first)
        #expect(cookie.hasPrefix("rw_session="))
        #expect(cookie.hasSuffix("; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax"))
        #expect(await jar.send(app, "GET", "/get").text == "Hello Ann")
        let plain = await jar.send(app, "GET", "/plain")
        #expect(plain.headers["Cache-Control"] == nil, "a page that does not use the session stays cacheable")
        #expect(plain.headers.values(for: "Set-Cookie").isEmpty)
        #expect(await jar.send(app, "GET", "/public").headers["Cache-Control"] == "public, max-age=60", "the app's own choice wins")
        let destroyed = await jar.send(app, "GET", "/destroy")
        #expect(destroyed.headers.values(for: "Set-Cookie").first?.contains("Max-Age=0") == true)
        #expect(await jar.send(app, "GET", "/get").text == "none")
    }

    @Test(arguments: ["cookie", "memory"])
    func aTamperedOrForeignCookieGivesANewEmptySession(store: String) async {
        let make: (SessionSigner) -> any SessionStore = { store == "cookie" ? CookieSessionStore(signer: $0) : MemorySessionStore(signer: $0) }
        let app = Self.app(SessionOptions(store: make(Self.signer)))
        var jar = CookieJar()
        _ = await jar.send(app, "GET", "/set/secret")
        let token = jar.cookies["rw_session"]!
        // Flip one character of the payload.
        var tampered = Array(token)
        tampered[2] = tampered[2] == "A" ? "B" : "A"
        jar.cookies["rw_session"] = String(tampered)
        let response = await jar.send(app, "GET", "/get")
        #expect(response.status == 200)
        #expect(response.text == "none")
        #expect(jar.cookies["rw_session"] == nil, "the bad cookie is expired")
        // Signed with a key the app does not know.
        let other = Self.app(SessionOptions(store: make(SessionSigner(secrets: [String(repeating: "x", count: 32)]))))
        var otherJar = CookieJar()
        otherJar.cookies["rw_session"] = token
        #expect(await otherJar.send(other, "GET", "/get").text == "none")
        otherJar.cookies["rw_session"] = "garbage"
        #expect(await otherJar.send(other, "GET", "/get").text == "none")
    }

    @Test func rotatedKeysStillVerifyOldCookies() async {
        let old = SessionSigner(secrets: [String(repeating: "o", count: 32)])
        let rotated = SessionSigner(secrets: [String(repeating: "n", count: 32), String(repeating: "o", count: 32)])
        var jar = CookieJar()
        _ = await jar.send(Self.app(SessionOptions(store: CookieSessionStore(signer: old))), "GET", "/set/kept")
        let app = Self.app(SessionOptions(store: CookieSessionStore(signer: rotated)))
        #expect(await jar.send(app, "GET", "/get").text == "kept")
        #expect(rotated.verify(rotated.sign([1, 2, 3])) == [1, 2, 3])
        #expect(old.verify(rotated.sign([1, 2, 3])) == nil, "new cookies are signed with the new key")
    }

    @Test func anExpiredCookieGivesANewEmptySession() async throws {
        let store = CookieSessionStore(signer: Self.signer)
        let expired = try await store.save(["a": "1"], token: nil, expires: Date(timeIntervalSinceNow: -1))
        #expect(try await store.load(expired) == nil)
        let memory = MemorySessionStore(signer: Self.signer)
        let old = try await memory.save(["a": "1"], token: nil, expires: Date(timeIntervalSinceNow: -1))
        #expect(try await memory.load(old) == nil)
        let app = Self.app(SessionOptions(store: store))
        var jar = CookieJar()
        jar.cookies["rw_session"] = expired
        #expect(await jar.send(app, "GET", "/get").text == "none")
    }

    @Test func theMemoryStoreKeepsSessionsInTheStateModule() async throws {
        let store = MemorySessionStore(signer: Self.signer)
        let token = try await store.save(["k": "v"], token: nil, expires: Date(timeIntervalSinceNow: 60))
        let id = Base64URL.encode(try #require(Self.signer.verify(token)))
        let kept = try #require(getRwState(MemorySessionStore.stateKey, as: [String: MemorySessionStore.Stored].self))
        #expect(kept[id]?.values == ["k": "v"])
        try await store.delete(token)
        #expect(try await store.load(token) == nil)
    }

    @Test func tooLargeACookieSessionIsAnError() async {
        let app = defineApp(sessions: SessionOptions(store: CookieSessionStore(signer: Self.signer))) {
            route("/big") { () -> RwResponse in
                requestInfo.session["big"] = String(repeating: "x", count: 5000)
                return RwResponse(text: "never")
            }
        }
        let response = await send(app, "GET", "/big", environment: .development)
        #expect(response.status == 500)
        #expect(response.text.contains("more than a cookie holds"))
    }
}

@Suite(.timeLimit(.minutes(5))) struct Base64URLTests {
    @Test func theURLAlphabetWithoutPaddingRoundTrips() throws {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 251) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text[...]) == bytes)
        }
        #expect(Base64URL.decode("+/8") == nil, "the standard alphabet is not accepted")
        #expect(Base64URL.decode("-_8=") == nil, "padding is not accepted")
    }
}

@Suite(.timeLimit(.minutes(5))) struct CookieSessionPayloadTests {
    @Test func anyValuesRoundTripThroughTheCookie() async throws {
        let store = CookieSessionStore(signer: SessionSigner(secrets: [String(repeating: "k", count: 32)]))
        let values = ["quote\"back\\slash": "line\nbreak\ttab/\u{1}", "ünïcode 🎉": "", "a": "<b>&"]
        let token = try await store.save(values, token: nil, expires: Date(timeIntervalSinceNow: 60))
        #expect(try await store.load(token) == values)
        let payload = CookieSessionStore.Payload(v: values, e: 42)
        let decoded = try JSONDecoder().decode(CookieSessionStore.Payload.self, from: Data(payload.json.utf8))
        #expect(decoded.v == values && decoded.e == 42)
    }
}
