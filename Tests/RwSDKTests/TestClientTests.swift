import RwSDKTesting
import Testing

@testable import RwSDK

@Suite(.timeLimit(.minutes(5))) struct TestClientTests {
    let app = defineApp {
        route("/login", methods: [.post]) { info in
            requestInfo.session["user"] = String(decoding: info.request.body, as: UTF8.self)
            requestInfo.response.setCookie(Cookie(name: "theme", value: "dark"))
            return RwResponse(text: "in")
        }
        route("/me") { RwResponse(text: requestInfo.session["user"] ?? "nobody") }
        route("/logout") { () -> RwResponse in
            requestInfo.session.destroy()
            requestInfo.response.setCookie(Cookie.expired("theme"))
            return RwResponse(text: "out")
        }
        route("/host") { info in RwResponse(text: info.request.headers["Host"] ?? "") }
    }

    @Test func cookiesAreCarriedBetweenRequestsAndDroppedWhenExpired() async {
        await app.test { client in
            #expect(await client.get("/me").text == "nobody")
            let login = await client.request(.post, "/login", body: Array("user=ann".utf8))
            #expect(login.status == 200)
            #expect(Set(client.cookies.keys) == ["rw_session", "theme"])
            #expect(client.cookies["theme"] == "dark")
            #expect(await client.get("/me").text == "user=ann")
            await client.get("/logout")
            #expect(client.cookies.isEmpty)
            #expect(await client.get("/me").text == "nobody")
        }
    }

    @Test func eachTestRunStartsWithoutCookiesAndSendsAHost() async {
        await app.test { client in
            await client.request(.post, "/login", body: Array("bob".utf8))
            #expect(!client.cookies.isEmpty)
        }
        await app.test(host: "example.test") { client in
            #expect(client.cookies.isEmpty)
            #expect(await client.get("/me").text == "nobody")
            #expect(await client.get("/host").text == "example.test")
        }
    }

    @Test func formsAndJSONReachServerActions() async {
        let echo = serverAction("echo") { input in ["name": input["name"] ?? ""] }
        let app = defineApp { echo }
        await app.test { client in
            #expect(await client.post("/_rw/action/echo", json: #"{"name":"Ann"}"#).text == #"{"name":"Ann"}"#)
            let form = await client.post("/_rw/action/echo", form: ["name": "B & C"], headers: ["Accept": "application/json"])
            #expect(form.text == #"{"name":"B & C"}"#)
        }
    }
}
