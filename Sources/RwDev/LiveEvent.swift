import Foundation

/// An event the dev server pushes to open pages on `/_rw/events` (Server-Sent Events); the
/// browser side (Sources/RwBrowser/js/live.js) handles each by its name.
enum LiveEvent: Sendable, Equatable {
    /// The dev server session's id, sent first on every connection: a page that reconnects and
    /// hears another id reloads.
    case hello(session: String)
    /// A new generation is serving: each page fetches its URL again and morphs itself in place.
    case update(generation: Int)
    /// A file of the public folder changed: `path` is its URL path, `url` its new fingerprinted URL.
    case asset(path: String, url: String)
    /// The page must reload fully, for `reason` (shown in the browser console).
    case reload(reason: String)
    /// The error overlay shows `message` under `title` over the page.
    case error(title: String, message: String)

    /// The event's name, as live.js listens for it.
    var name: String {
        switch self {
        case .hello: "hello"
        case .update: "update"
        case .asset: "asset"
        case .reload: "reload"
        case .error: "error"
        }
    }

    /// The event's data: the session id for `hello`, a JSON object otherwise.
    var data: String {
        switch self {
        case .hello(let session): session
        case .update(let generation): Self.json(["generation": generation])
        case .asset(let path, let url): Self.json(["path": path, "url": url])
        case .reload(let reason): Self.json(["reason": reason])
        case .error(let title, let message): Self.json(["title": title, "message": message])
        }
    }

    /// The event as a Server-Sent Events frame.
    var frame: String {
        "event: \(name)\ndata: \(data.replacingOccurrences(of: "\n", with: "\ndata: "))\n\n"
    }

    private static func json<Value: Encodable>(_ object: [String: Value]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
