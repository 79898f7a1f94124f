import RwData
import RwSDK

/// One message of the guestbook.
struct Message: Codable, Sendable {
    let id: Int64
    let author: String
    let body: String
}

/// The queries of the messages table.
enum Messages {
    static let pageSize = 10

    static func page(_ page: Int) async throws -> [Message] {
        let offset = (max(page, 1) - 1) * pageSize
        return try await db.query("SELECT id, author, body FROM messages ORDER BY id DESC LIMIT \(pageSize) OFFSET \(offset)")
            .map { Message(id: try $0.decode("id"), author: try $0.decode("author"), body: try $0.decode("body")) }
    }

    static func count() async throws -> Int {
        try await db.first("SELECT count(*) AS n FROM messages")?.decode("n", as: Int.self) ?? 0
    }
}
