import HTTPTypes
import Hummingbird
import NIOCore
import RwSDK
import RwServer
import Testing

/// The 413 for a body over the limit is the app's answer: its error handler and its middleware
/// around the app see it; the connection still closes.
@Suite struct ContentTooLargeTests {
    @Test func theAppsErrorHandlerAndAroundMiddlewareShapeThe413() async throws {
        let app = defineApp(onError: { error, _ in
            RwResponse(status: error.status, headers: ["Content-Type": "application/json"], text: #"{"errors":{"body":["too large"]}}"#)
        }) {
            middleware { info, next in
                var response = await next()
                response.headers["Access-Control-Allow-Origin"] = "*"
                return response
            }
            post("/upload") { _ in RwResponse(text: "stored") }
        }
        let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/upload", headerFields: [.contentLength: "9999"])
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        let response = await Response.contentTooLarge(request, limit: 10, app: app, environment: .production)
        #expect(response.status == .contentTooLarge)
        #expect(response.headers[.connection] == "close")
        #expect(response.headers[.accessControlAllowOrigin] == "*")
        #expect(response.headers[.contentType] == "application/json")
    }
}
