import Foundation
import HTTPTypes
import Hummingbird

// Usage: PlainHummingbird <port> <page file> [<action file> <X-Greeting value>]
// Serves the page's bytes as text/html at GET /; with an action file, answers
// POST /_rw/action/greet (after reading its body) with that file's bytes as application/json and
// the given X-Greeting header, as RwSDK's hello-world greet action does.
let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 5, let port = Int(arguments[1]),
    let bytes = FileManager.default.contents(atPath: arguments[2])
else {
    FileHandle.standardError.write(Data("usage: PlainHummingbird <port> <page file> [<action file> <X-Greeting value>]\n".utf8))
    exit(2)
}
let body = ByteBuffer(bytes: bytes)
let router = Router()
router.get("/") { _, _ in
    Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
}
if arguments.count == 5, let action = FileManager.default.contents(atPath: arguments[3]) {
    let actionBody = ByteBuffer(bytes: action)
    let greeting = arguments[4]
    router.post("/_rw/action/greet") { request, _ in
        _ = try await request.body.collect(upTo: 2 * 1024 * 1024)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", HTTPField.Name("X-Greeting")!: greeting],
            body: .init(byteBuffer: actionBody)
        )
    }
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
