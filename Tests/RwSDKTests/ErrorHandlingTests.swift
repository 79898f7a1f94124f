import Foundation
import RwSDK
import RwSDKTesting
import Testing

/// The app's error handler, middleware around the rest of the app, and the default error shapes.
@Suite struct ErrorHandlingTests {
    struct Problem: Codable, Sendable, Equatable {
        let code: String
        let detail: String
    }

    enum Failure: Error { case unexpected }

    static func app(onError: ErrorHandler? = nil) -> App {
        defineApp(onError: onError) {
            middleware { info in info.response.headers["Access-Control-Allow-Origin"] = "https://app.example" }
            middleware { info, next in
                var response = await next()
                response.headers["X-Seen-Status"] = String(response.status)
                return response
            }
            get("/ok") { _ in RwResponse(text: "ok") }
            get("/missing") { _ -> RwResponse in throw HTTPStatusError(404, "No article \"x\".") }
            get("/typed") { _ -> RwResponse in
                throw HTTPStatusError(409, "Taken.", body: Problem(code: "taken", detail: "The name is taken."))
            }
            get("/boom") { _ -> RwResponse in throw Failure.unexpected }
            post("/only-post") { _ in RwResponse(text: "posted") }
        }
    }

    @Test func aroundMiddlewareSeesAndRewritesTheFrameworksOwnErrors() async {
        await Self.app().test(environment: .production) { client in
            let ok = await client.get("/ok")
            #expect(ok.status == 200 && ok.headers["X-Seen-Status"] == "200")
            for (target, status) in [("/nowhere", 404), ("/only-post", 405), ("/boom", 500), ("/missing", 404)] {
                let response = await client.get(target)
                #expect(response.status.code == status, "\(target)")
                #expect(response.headers["X-Seen-Status"] == String(status), "\(target): \(response.headers)")
                // Set through requestInfo by earlier middleware: kept on the error response.
                #expect(response.headers["Access-Control-Allow-Origin"] == "https://app.example", "\(target)")
            }
            #expect(await client.get("/only-post").headers["Allow"] == "OPTIONS, POST")
        }
    }

    @Test func jsonClientsGetJSONErrorsByDefault() async throws {
        await Self.app().test(environment: .production) { client in
            let json: Headers = ["Accept": "application/json"]
            let missing = await client.get("/nowhere", headers: json)
            #expect(missing.status == 404)
            #expect(missing.headers["Content-Type"] == "application/json")
            #expect(missing.text == #"{"error":"No route matches GET \/nowhere."}"#)
            let crashed = await client.get("/boom", headers: json)
            #expect(crashed.status == 500)
            #expect(crashed.text == #"{"error":"The server could not handle GET \/boom."}"#)
            // A client that sends JSON and accepts anything is a JSON client too.
            let sent = await client.request(.post, "/nowhere", headers: ["Content-Type": "application/json"], body: Array("{}".utf8))
            #expect(sent.headers["Content-Type"] == "application/json")
            // A browser gets a page.
            let page = await client.get("/nowhere", headers: ["Accept": "text/html"])
            #expect(page.headers["Content-Type"] == "text/html; charset=utf-8" && page.text.contains("404 Not Found"))
        }
    }

    @Test func aStatusErrorCarriesATypedBody() async throws {
        await Self.app().test(environment: .production) { client in
            let response = await client.get("/typed")
            #expect(response.status == 409)
            #expect(response.headers["Content-Type"] == "application/json")
            #expect((try? JSONDecoder().decode(Problem.self, from: Data(response.body))) == Problem(code: "taken", detail: "The name is taken."))
            // A browser asking for HTML only gets the message on a page.
            let page = await client.get("/typed", headers: ["Accept": "text/html"])
            #expect(page.status == 409 && page.text.contains("Taken."))
        }
    }

    @Test func theErrorHandlerShapesEveryError() async throws {
        let app = Self.app { error, info in
            let problem = Problem(code: "E\(error.status)", detail: error.cause.map { "\(type(of: $0))" } ?? error.message)
            var response = RwResponse(status: error.status, headers: ["Content-Type": "application/problem+json"])
            response.body = Array(try JSONEncoder().encode(problem))
            return error.status == 409 ? nil : response
        }
        await app.test(environment: .production) { client in
            for (target, status, detail) in [
                ("/nowhere", 404, "No route matches GET /nowhere."), ("/only-post", 405, nil), ("/boom", 500, "Failure")
            ] {
                let response = await client.get(target)
                #expect(response.status.code == status, "\(target)")
                #expect(response.headers["Content-Type"] == "application/problem+json", "\(target)")
                let problem = try? JSONDecoder().decode(Problem.self, from: Data(response.body))
                #expect(problem?.code == "E\(status)", "\(target): \(response.text)")
                if let detail { #expect(problem?.detail == detail, "\(target)") }
                #expect(response.headers["Access-Control-Allow-Origin"] == "https://app.example", "\(target)")
                #expect(response.headers["X-Seen-Status"] == String(status), "\(target)")
            }
            // The 405's Allow is added to the handler's response.
            #expect(await client.get("/only-post").headers["Allow"] == "OPTIONS, POST")
            // nil: the default answer.
            let typed = await client.get("/typed")
            #expect(typed.status == 409 && typed.text.contains("taken"))
        }
    }

    @Test func anErrorHandlerThatFailsFallsBackToTheDefault() async {
        let app = Self.app { _, _ in throw Failure.unexpected }
        let response = await app.handle(RwRequest(method: "GET", target: "/nowhere", headers: ["Accept": "application/json"]))
        #expect(response.status == 404)
        #expect(String(decoding: response.body, as: UTF8.self).contains("No route matches"))
    }

    /// A request the server refuses before the app (a body over the limit: 413) goes through the
    /// app's error handler and its around middleware, not its routes or plain middleware.
    @Test func aRejectedRequestReachesTheErrorHandlerAndAroundMiddleware() async {
        let app = Self.app { error, _ in RwResponse(status: error.status, text: "app says: \(error.message)") }
        let response = await app.reject(
            RwRequest(method: "POST", target: "/ok"), with: HTTPStatusError(413, "Too large."))
        #expect(response.status == 413)
        #expect(String(decoding: response.body, as: UTF8.self) == "app says: Too large.")
        #expect(response.headers["X-Seen-Status"] == "413")
        #expect(response.headers["Access-Control-Allow-Origin"] == nil, "plain middleware does not run for a rejected request")
    }
}
