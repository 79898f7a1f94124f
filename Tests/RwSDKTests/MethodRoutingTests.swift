import Testing

@testable import RwSDK

@Suite(.timeLimit(.minutes(5))) struct MethodRoutingTests {
    let app = defineApp {
        render(TestDocument) {
            route("/") { h1 { "Home" } }
        }
        route("/items", methods: [.post]) { RwResponse(status: 201, text: "created") }
        route("/items") { RwResponse(text: "list") }
        route("/items/:id", methods: [.put, .delete]) { info in RwResponse(text: "\(info.request.method) \(info.params["id"]!)") }
        route("/custom-options", methods: [.options, .get]) { info in RwResponse(status: 200, text: "mine \(info.request.method)") }
    }

    @Test func eachMethodReachesItsOwnRoute() async {
        #expect(await send(app, "GET", "/items").text == "list")
        let created = await send(app, "POST", "/items")
        #expect(created.status == 201 && created.text == "created")
        #expect(await send(app, "PUT", "/items/7").text == "PUT 7")
        #expect(await send(app, "DELETE", "/items/7").text == "DELETE 7")
    }

    @Test func anotherMethodOnAMatchedPathGets405WithAllow() async {
        let response = await send(app, "DELETE", "/")
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS")
        #expect(response.text.contains("405 Method Not Allowed"))
        let onItem = await send(app, "GET", "/items/7")
        #expect(onItem.status == 405)
        #expect(onItem.headers["Allow"] == "DELETE, OPTIONS, PUT")
        let merged = await send(app, "PATCH", "/items")
        #expect(merged.headers["Allow"] == "GET, HEAD, OPTIONS, POST")
    }

    @Test func anUnmatchedPathStill404s() async {
        #expect(await send(app, "DELETE", "/nowhere").status == 404)
    }

    @Test func headAnswersLikeGetWithoutABody() async {
        let get = await send(app, "GET", "/")
        let head = await send(app, "HEAD", "/")
        #expect(head.status == 200)
        #expect(head.text.isEmpty)
        #expect(head.headers["Content-Type"] == get.headers["Content-Type"])
        #expect(head.headers["Content-Length"] == String(get.text.utf8.count))
        let missing = await send(app, "HEAD", "/nowhere")
        #expect(missing.status == 404 && missing.text.isEmpty)
        #expect(await send(app, "HEAD", "/_rw/client.js").text.isEmpty)
    }

    @Test func optionsListsTheAllowedMethods() async {
        let response = await send(app, "OPTIONS", "/items")
        #expect(response.status == 204)
        #expect(response.text.isEmpty)
        #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS, POST")
        #expect(await send(app, "OPTIONS", "/custom-options").text == "mine OPTIONS")
    }

    @Test func serverActionsAnswerOnlyPostAndSayWhat() async {
        let action = serverAction("noop") { (_: ActionInput) in ["ok": "1"] }
        let app = defineApp { action }
        let response = await send(app, "GET", "/_rw/action/noop")
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "POST")
    }
}

@Suite(.timeLimit(.minutes(5))) struct MethodShorthandTests {
    @Test func eachShorthandAnswersItsMethodOnly() async {
        let app = defineApp {
            get("/x") { RwResponse(text: "get") }
            post("/x") { info in RwResponse(text: "post \(info.request.body.count)") }
            put("/x") { RwResponse(text: "put") }
            patch("/x") { RwResponse(text: "patch") }
            delete("/x") { RwResponse(text: "delete") }
            get("/page") { main { "page" } }
            get("/page/:id") { info in main { info.params["id"] ?? "" } }
        }
        #expect(await send(app, "GET", "/x").text == "get")
        #expect(await send(app, "POST", "/x", body: "ab").text == "post 2")
        #expect(await send(app, "PUT", "/x").text == "put")
        #expect(await send(app, "PATCH", "/x").text == "patch")
        #expect(await send(app, "DELETE", "/x").text == "delete")
        #expect(await send(app, "HEAD", "/x").status == 200)
        let options = await send(app, "OPTIONS", "/x")
        #expect(options.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT")
        #expect(await send(app, "GET", "/page").text == "<!DOCTYPE html><main>page</main>")
        #expect(await send(app, "GET", "/page/7").text == "<!DOCTYPE html><main>7</main>")
        #expect(await send(app, "POST", "/page").status == 405)
    }
}
