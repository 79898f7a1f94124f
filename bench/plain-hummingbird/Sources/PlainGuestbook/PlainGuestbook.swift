import Foundation
import Hummingbird
import Logging
import PlainHTML
import PostgresNIO
import SQLiteNIO

// Usage: PlainGuestbook <port> <database> <live-count module URL>
// <database> is an SQLite file path, or postgres://user:password@host:port/database.
// Serves the guestbook's first page as an anonymous visitor sees it (GET /, `?page=N`), running
// the guestbook's two queries (one page of messages, the count) with the driver RwData uses for
// that database, and writing the same HTML by hand.
/// One message of the list.
struct Message: Sendable {
    let id: Int64
    let author: String
    let body: String
}

/// The two queries of the page, on SQLite or PostgreSQL.
protocol Store: Sendable {
    func page(_ page: Int) async throws -> [Message]
    func count() async throws -> Int
}

struct SQLiteStore: Store {
    let connection: SQLiteConnection
    let pageSize: Int

    func page(_ page: Int) async throws -> [Message] {
        let rows = try await connection.query(
            "SELECT id, author, body FROM messages ORDER BY id DESC LIMIT ? OFFSET ?",
            [.integer(pageSize), .integer((page - 1) * pageSize)])
        return rows.map {
            Message(id: Int64($0.column("id")?.integer ?? 0), author: $0.column("author")?.string ?? "", body: $0.column("body")?.string ?? "")
        }
    }

    func count() async throws -> Int {
        try await connection.query("SELECT count(*) AS n FROM messages").first?.column("n")?.integer ?? 0
    }
}

struct PostgresStore: Store {
    let client: PostgresClient
    let pageSize: Int

    func page(_ page: Int) async throws -> [Message] {
        let offset = (page - 1) * pageSize
        var messages: [Message] = []
        let rows = try await client.query("SELECT id, author, body FROM messages ORDER BY id DESC LIMIT \(pageSize) OFFSET \(offset)")
        for try await (id, author, body) in rows.decode((Int64, String, String).self) {
            messages.append(Message(id: id, author: author, body: body))
        }
        return messages
    }

    func count() async throws -> Int {
        for try await (count) in try await client.query("SELECT count(*) AS n FROM messages").decode(Int64.self) {
            return Int(count)
        }
        return 0
    }
}

func render(page: Int, pageSize: Int, messages: [Message], count: Int, liveCountModule: String) -> String {
    var html = #"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Guestbook · RwSDK</title>"#
    html += #"<script type="module" src="/_rw/client.js"></script></head><body><main><h1>Guestbook</h1>"#
    html += #"<div data-rw-client="LiveCount" data-rw-module="\#(escaped(liveCountModule, quotes: true))" "#
    html += #"data-rw-props="\#(escaped(#"{"count":\#(count)}"#, quotes: true))"><p class="live-count">\#(count) messages</p></div>"#
    html += #"<form method="post" action="/_rw/action/signIn" id="sign-in"><input name="name" placeholder="Your name">"#
    html += #"<button type="submit">Sign in</button></form><ul class="messages">"#
    for message in messages {
        html += #"<li data-id="\#(message.id)"><span class="author">\#(escaped(message.author))</span>: "#
        html += #"<span class="body">\#(escaped(message.body))</span></li>"#
    }
    html += "</ul><nav>"
    if page > 1 { html += #"<a href="/?page=\#(page - 1)" class="newer">Newer</a>"# }
    if page * pageSize < count { html += #"<a href="/?page=\#(page + 1)" class="older">Older</a>"# }
    html += "</nav></main></body></html>"
    return html
}

@main
struct PlainGuestbook {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 4, let port = Int(arguments[1]) else {
            FileHandle.standardError.write(Data("usage: PlainGuestbook <port> <sqlite path | postgres:// URL> <live-count module URL>\n".utf8))
            Foundation.exit(2)
        }
        let database = arguments[2]
        let liveCountModule = arguments[3]
        let pageSize = 10

        let logger = Logger(label: "plain-guestbook")
        let store: any Store
        var postgres: PostgresClient?
        var sqlite: SQLiteConnection?
        if database.hasPrefix("postgres://") {
            guard let url = URLComponents(string: database), let host = url.host, let user = url.user else {
                FileHandle.standardError.write(Data("not a postgres:// URL: \(database)\n".utf8))
                Foundation.exit(2)
            }
            var configuration = PostgresClient.Configuration(
                host: host, port: url.port ?? 5432, username: user, password: url.password,
                database: String(url.path.dropFirst()), tls: .disable)
            configuration.options.maximumConnections = 10  // RwData's default pool
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            postgres = client
            store = PostgresStore(client: client, pageSize: pageSize)
        } else {
            let connection = try await SQLiteConnection.open(storage: .file(path: database), logger: logger)
            _ = try await connection.query("PRAGMA busy_timeout=5000")  // as RwData opens it
            sqlite = connection
            store = SQLiteStore(connection: connection, pageSize: pageSize)
        }

        let router = Router()
        router.get("/") { request, _ in
            let page = max(request.uri.queryParameters.get("page", as: Int.self) ?? 1, 1)
            let html = render(
                page: page, pageSize: pageSize, messages: try await store.page(page), count: try await store.count(),
                liveCountModule: liveCountModule)
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "private"],
                body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        // The pool runs beside the server, as postgres-nio's documentation shows.
        let pool = postgres.map { client in Task { await client.run() } }
        try await app.runService()
        pool?.cancel()
        try await sqlite?.close()
    }
}
