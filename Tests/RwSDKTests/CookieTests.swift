import Foundation
import Testing

@testable import RwSDK

@Suite(.timeLimit(.minutes(5))) struct CookieTests {
    @Test func everyAttributeIsWritten() {
        let cookie = Cookie(
            name: "id", value: "a1", path: "/app", domain: "example.com", maxAge: 3600,
            expires: Date(timeIntervalSince1970: 784_111_777), secure: true, httpOnly: true, sameSite: .strict)
        #expect(
            cookie.headerValue
                == "id=a1; Path=/app; Domain=example.com; Max-Age=3600; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Secure; HttpOnly; SameSite=Strict")
        let plain = Cookie(name: "t", value: "v", path: nil, httpOnly: false, sameSite: nil)
        #expect(plain.headerValue == "t=v")
        #expect(Cookie.expired("t").headerValue.contains("Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"))
    }

    @Test func valuesRoundTripThroughEncoding() {
        let text = "a b;c,d\"é%"
        let cookie = Cookie(name: "x", value: text)
        let sent = cookie.headerValue.split(separator: ";")[0]
        #expect(sent == "x=a%20b%3Bc%2Cd%22%C3%A9%25")
        let request = RwRequest(method: "GET", target: "/", headers: ["Cookie": String(sent)])
        #expect(request.cookies["x"] == text)
    }

    @Test func attributesCannotBeInjected() {
        let cookie = Cookie(name: "x", value: "v", path: "/a; Domain=evil.example")
        #expect(cookie.headerValue.hasPrefix("x=v; Path=/a Domain=evil.example;"))
    }

    @Test func requestCookiesAreParsedFromEveryField() {
        let request = RwRequest(
            method: "GET", target: "/",
            headers: ["Cookie": "a=1; b=\"two\"; junk; a=shadowed", "cookie": "c=3"])
        #expect(request.cookies == ["a": "1", "b": "two", "c": "3"])
        #expect(RwRequest(method: "GET", target: "/").cookies.isEmpty)
    }

    @Test func everySetCookieIsKeptWithOtherChosenHeaders() async {
        let app = defineApp {
            route("/") { () -> RwResponse in
                requestInfo.response.setCookie(Cookie(name: "a", value: "1"))
                requestInfo.response.setCookie(Cookie(name: "b", value: "2"))
                requestInfo.response.headers["X-One"] = "chosen"
                return RwResponse(headers: ["Set-Cookie": "own=0", "X-One": "handler"], text: "ok")
            }
        }
        let response = await send(app, "GET", "/")
        #expect(response.headers.values(for: "Set-Cookie") == ["own=0", "a=1; Path=/; HttpOnly; SameSite=Lax", "b=2; Path=/; HttpOnly; SameSite=Lax"])
        #expect(response.headers.values(for: "X-One") == ["chosen"])
    }

    @Test func concurrentHeaderChangesAreNeverLost() async {
        let app = defineApp {
            route("/") { () -> RwResponse in
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            requestInfo.response.headers.add(name: "X-N", value: "\(index)")
                            requestInfo.ctx["k\(index)"] = index
                        }
                    }
                }
                return RwResponse(text: "\(requestInfo.ctx.count)")
            }
        }
        let response = await send(app, "GET", "/")
        #expect(response.headers.values(for: "X-N").count == 200)
        #expect(response.text == "200")
    }
}
