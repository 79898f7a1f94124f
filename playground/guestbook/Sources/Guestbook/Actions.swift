import RwData
import RwSDK

/// What the post action answers to `fetch` callers.
struct Posted: Codable, Sendable {
    let id: Int64
    let count: Int
}

/// Signs in with a name, kept in the session (stored in the database).
let signIn = serverAction("signIn") { input in
    let name = (input["name"] ?? "").trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, name.count <= 40 else { throw HTTPStatusError(400, "A name of 1 to 40 characters, please.") }
    requestInfo.session["name"] = name
    return ["name": name]
}

/// Forgets the session.
let signOut = serverAction("signOut") { _ in
    requestInfo.session.destroy()
    return ["signedOut": "true"]
}

/// Posts a message as the signed-in name and announces it on the guestbook's channel (``Live``).
/// A `key` field makes the post idempotent: posting the same key again answers 409 (the unique
/// constraint's typed error).
let postMessage = serverAction("post") { input in
    guard let author = requestInfo.session["name"] else { throw HTTPStatusError(401, "Sign in first.") }
    let body = (input["body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard !body.isEmpty, body.count <= 500 else { throw HTTPStatusError(400, "A message of 1 to 500 characters, please.") }
    let key = input["key"].flatMap { $0.isEmpty ? nil : $0 }
    do {
        let row = try await db.first("INSERT INTO messages (author, body, client_key) VALUES (\(author), \(body), \(key)) RETURNING id")
        let id = try row?.decode("id", as: Int64.self) ?? 0
        let count = try await Messages.count()
        // Every open page shows the post and the new count (every instance's, on PostgreSQL).
        try Live.announce(Message(id: id, author: author, body: body), count: count)
        return Posted(id: id, count: count)
    } catch DatabaseError.uniqueViolation {
        throw HTTPStatusError(409, "This message was already posted.")
    }
    // Any other DatabaseError reaches the framework: a lost or unreachable database is a 503.
}
