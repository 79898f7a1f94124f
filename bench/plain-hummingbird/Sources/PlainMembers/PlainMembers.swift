import Foundation
import Hummingbird
import MemberData

// Usage: PlainMembers <port>
// The members page and the JSON list on plain Hummingbird, written for speed:
// - GET /members writes the 500-row page by hand into a byte buffer (MemberData), per request;
// - GET /api/members answers the 50 records with Hummingbird's own JSON response (the list is
//   `ResponseEncodable`, encoded per request by Hummingbird's JSONEncoder).

extension MemberList: ResponseEncodable {}

@main
struct PlainMembers {
    static func main() async throws {
        guard CommandLine.arguments.count == 2, let port = Int(CommandLine.arguments[1]) else {
            FileHandle.standardError.write(Data("usage: PlainMembers <port>\n".utf8))
            Foundation.exit(2)
        }
        let rows = members()
        let records = memberRecords()
        let router = Router()
        router.get("/members") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: membersPageByHand(rows))))
        }
        router.get("/api/members") { _, _ in MemberList(members: records) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
