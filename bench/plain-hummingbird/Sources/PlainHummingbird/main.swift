import Foundation
import Hummingbird

// Usage: PlainHummingbird <port> <file>. Serves the file's bytes as text/html at GET /.
let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]),
    let bytes = FileManager.default.contents(atPath: arguments[2])
else {
    FileHandle.standardError.write(Data("usage: PlainHummingbird <port> <file>\n".utf8))
    exit(2)
}
let body = ByteBuffer(bytes: bytes)
let router = Router()
router.get("/") { _, _ in
    Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
