import Foundation
import Testing

@testable import RwSDK

struct Sum: Codable, Sendable {
    let a: Int
    let b: Int
}

@Suite(.timeLimit(.minutes(5))) struct ServerActionTests {
    static let add = serverAction("math.add") { input in
        let sum = try input.decode(Sum.self)
        requestInfo.response.headers["X-Result"] = "\(sum.a + sum.b)"
        return ["result": sum.a + sum.b, "user": requestInfo.ctx["user"] as? String == "ann" ? 1 : 0]
    }

    static let hello = serverAction("hello") { input in
        requestInfo.response.headers["X-Hello"] = input["name"] ?? "nobody"
        return "hi"
    }

    let app = defineApp {
        middleware { info in info.ctx["user"] = "ann" }
        route("/") { p { "home" } }
        add
        hello
    }

    static let json: Headers = [
        "Content-Type": "application/json", "Accept": "application/json", "Host": "localhost:8080"
    ]

    @Test func fetchCallGetsJSONAndHeadersAndSeesMiddlewareContext() async throws {
        let response = await send(app, "POST", "/_rw/action/math.add", headers: Self.json, body: #"{"a":2,"b":3}"#)
        #expect(response.status == 200)
        #expect(response.headers["X-Result"] == "5")
        #expect(response.headers["Content-Type"] == "application/json")
        let decoded = try JSONDecoder().decode([String: Int].self, from: Data(response.text.utf8))
        #expect(decoded == ["result": 5, "user": 1])
    }

    @Test func formSubmissionIsRedirectedBackWithHeaders() async {
        let response = await send(
            app, "POST", "/_rw/action/hello",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Referer": "http://localhost:8080/page?x=1"],
            body: "name=J%C3%BCrgen+K"
        )
        #expect(response.status == 303)
        #expect(response.headers["Location"] == "/page?x=1")
        #expect(response.headers["X-Hello"] == "Jürgen K")
    }

    @Test func unknownActionIDGets404NamingIt() async {
        let response = await send(app, "POST", "/_rw/action/missing", headers: Self.json, body: "{}")
        #expect(response.status == 404)
        #expect(response.text.contains(#"No server action has the id \"missing\"."#))
    }

    @Test func malformedActionIDGets400() async {
        let response = await send(app, "POST", "/_rw/action/a%2Fb%20c", headers: Self.json, body: "{}")
        #expect(response.status == 400)
        #expect(await send(app, "POST", "/_rw/action/", body: "").status == 400)
    }

    @Test func badInputGets400WithTheProblem() async {
        let missing = await send(app, "POST", "/_rw/action/math.add", headers: Self.json, body: #"{"a":2}"#)
        #expect(missing.status == 400)
        #expect(missing.text.contains("missing field"))
        let garbage = await send(app, "POST", "/_rw/action/math.add", headers: Self.json, body: "{nope")
        #expect(garbage.status == 400)
    }

    @Test func onlyPOSTIsAccepted() async {
        #expect(await send(app, "GET", "/_rw/action/hello").status == 405)
    }

    @Test func crossOriginCallsAreRefused() async {
        var headers = Self.json
        headers["Origin"] = "http://evil.example"
        let refused = await send(app, "POST", "/_rw/action/hello", headers: headers, body: "{}")
        #expect(refused.status == 403)
        #expect(refused.headers["X-Hello"] == nil)
        headers["Origin"] = "http://localhost:8080"
        #expect(await send(app, "POST", "/_rw/action/hello", headers: headers, body: "{}").status == 200)
    }

    @Test func formHelperPostsToTheAction() {
        let html = form(action: Self.hello) { button { "Go" } }.renderedHTML()
        #expect(html == #"<form method="post" action="/_rw/action/hello"><button>Go</button></form>"#)
    }
}

@Suite(.timeLimit(.minutes(5))) struct ClientComponentTests {
    struct Props: Codable, Sendable { let label: String }

    @Test func rendersServerHTMLWithModuleAndEscapedProps() {
        let badge = clientComponent("Badge", module: "/client/badge.js") { (props: Props) in
            span { props.label }
        }
        let html = badge(Props(label: "<\"hi\">")).renderedHTML()
        #expect(
            html.hasPrefix(
                #"<div data-rw-client="Badge" data-rw-module="/client/badge.js" data-rw-props="{&quot;label&quot;:&quot;&lt;\&quot;hi\&quot;&gt;&quot;}">"#))
        #expect(html.hasSuffix("<span>&lt;\"hi\"&gt;</span></div>"))
    }

    @Test func formFieldsAreDecoded() {
        let fields = ActionInput.parseForm(Array("a=1&b=x+y&c=%41%20z&d&e=&f%2B=%zz&g=caf%C3%A9".utf8))
        #expect(fields == ["a": "1", "b": "x y", "c": "A z", "d": "", "e": "", "f+": "%zz", "g": "café"])
    }
}
