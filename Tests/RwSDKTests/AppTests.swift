import Foundation
import Testing

@testable import RwSDK

@HTMLBuilder
func TestDocument(_ content: any HTML) -> Fragment {
    html {
        head { title("Test") }
        body { content }
    }
}

struct Failure: Error {}

@Suite(.timeLimit(.minutes(5))) struct AppTests {
    let app = defineApp {
        middleware { info in info.ctx["requestID"] = "req-\(info.request.path.count)" }
        interrupter { info in
            info.request.headers["X-Block"] == nil ? nil : RwResponse(status: 418, text: "blocked")
        }
        render(TestDocument) {
            route("/") { h1 { "Home" } }
            route("/users/:id") { info in p { "user \(info.params["id"] ?? "?")" } }
            route("/ctx") { p { "ctx \(requestInfo.ctx["requestID"] as? String ?? "none")" } }
            route("/created") { () -> Element in
                requestInfo.response.status = 201
                requestInfo.response.headers["X-Custom"] = "yes"
                return p { "made" }
            }
            route("/fail") { () -> Element in throw Failure() }
            route("/teapot") { () -> Element in throw HTTPStatusError(418, "I'm a <teapot>") }
        }
        prefix("/api") {
            route("/status") { RwResponse(headers: ["Content-Type": "application/json"], text: #"{"ok":true}"#) }
        }
        route("/files/*") { info in RwResponse(text: "file \(info.params["$0"] ?? "")") }
    }

    @Test func pagesAreRenderedInTheirDocument() async {
        let response = await send(app, "GET", "/")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(response.text == "<!DOCTYPE html><html><head><title>Test</title></head><body><h1>Home</h1></body></html>")
    }

    @Test func routeParametersReachTheHandler() async {
        #expect(await send(app, "GET", "/users/42").text.contains("<p>user 42</p>"))
        #expect(await send(app, "GET", "/files/a/b.txt").text == "file a/b.txt")
        #expect(await send(app, "GET", "/api/status").text == #"{"ok":true}"#)
    }

    @Test func middlewareStoresContextForRoutes() async {
        #expect(await send(app, "GET", "/ctx").text.contains("<p>ctx req-4</p>"))
    }

    @Test func interrupterEndsHandling() async {
        let response = await send(app, "GET", "/", headers: ["X-Block": "1"])
        #expect(response.status == 418)
        #expect(response.text == "blocked")
    }

    @Test func handlersSetStatusAndHeadersThroughRequestInfo() async {
        let response = await send(app, "GET", "/created")
        #expect(response.status == 201)
        #expect(response.headers["X-Custom"] == "yes")
    }

    @Test func unknownPathGetsA404Page() async {
        let response = await send(app, "GET", "/nowhere")
        #expect(response.status == 404)
        #expect(response.text.contains("No route matches GET /nowhere."))
    }

    @Test func errorDetailsAppearOnlyInDevelopment() async {
        let production = await send(app, "GET", "/fail")
        #expect(production.status == 500)
        #expect(!production.text.contains("Failure"))
        let development = await send(app, "GET", "/fail", environment: .development)
        #expect(development.status == 500)
        #expect(development.text.contains("Failure"))
    }

    @Test func statusErrorsShowTheirEscapedMessage() async {
        let response = await send(app, "GET", "/teapot")
        #expect(response.status == 418)
        #expect(response.text.contains("<p>I'm a &lt;teapot&gt;</p>"))
    }

    @Test func clientRuntimeIsServed() async {
        let response = await send(app, "GET", "/_rw/client.js")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"]?.hasPrefix("text/javascript") == true)
        #expect(response.text.contains("export async function callServerAction"))
    }
}

@Suite(.timeLimit(.minutes(5))) struct RequestInfoTests {
    @Test func requestInfoIsVisibleInNestedAsyncCallsAndChildTasks() async {
        @Sendable func deep(_ level: Int) async -> String {
            if level == 0 { return requestInfo.request.path }
            await Task.yield()
            return await deep(level - 1)
        }
        let app = defineApp {
            middleware { info in info.ctx["user"] = "ann" }
            route("/nested/:id") {
                async let fromAsyncLet = deep(3)
                let fromGroup = await withTaskGroup(of: String.self, returning: [String].self) { group in
                    for _ in 0..<8 {
                        group.addTask { "\(requestInfo.params["id"]!)/\(requestInfo.ctx["user"] as! String)" }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let fromDetachedChild = await Task { requestInfo.request.path }.value
                return RwResponse(text: "\(await fromAsyncLet) \(Set(fromGroup).sorted()) \(fromDetachedChild)")
            }
        }
        let response = await send(app, "GET", "/nested/7")
        #expect(response.text == "/nested/7 [\"7/ann\"] /nested/7")
    }

    @Test func concurrentRequestsEachSeeTheirOwnInfo() async {
        let app = defineApp {
            route("/echo/:n") {
                await Task.yield()
                return RwResponse(text: requestInfo.params["n"]!)
            }
        }
        let mismatches = await withTaskGroup(of: Bool.self, returning: Int.self) { group in
            for n in 0..<100 {
                group.addTask { await send(app, "GET", "/echo/\(n)").text != "\(n)" }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(mismatches == 0)
    }

    @Test func theTaskLocalLivesInTheStateModule() {
        let store = requestInfoStore  // defines the key on first use
        let stored: TaskLocal<RequestInfo?>? = getRwState("requestInfoStore")
        #expect(stored === store)
        #expect(currentRequestInfo == nil)
    }
}
