import Foundation
import RwBrowser
import RwState

/// Pushes ``LiveEvent``s to connected browsers (Server-Sent Events on `/_rw/events`) and provides
/// the scripts that follow them (Sources/RwBrowser/js, embedded at build time).
actor LiveReload {
    private var clients: [UUID: AsyncStream<String>.Continuation] = [:]
    private var currentError: LiveEvent?
    private let session = UUID().uuidString
    private let heartbeat: Duration
    private var heartbeats: Task<Void, Never>?

    /// A comment line (ignored by `EventSource`) sent to every browser each `heartbeat`: a write
    /// to a connection whose browser went away fails, so the front lets go of it within one
    /// beat even while no event is sent.
    init(heartbeat: Duration = .seconds(15)) {
        self.heartbeat = heartbeat
    }

    deinit { heartbeats?.cancel() }

    /// A new browser connection: it first receives `hello` (this dev server session's id, so a
    /// browser reconnecting to a restarted server reloads) and the current error, if any.
    func subscribe() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(16))
        continuation.yield(LiveEvent.hello(session: session).frame)
        if let currentError { continuation.yield(currentError.frame) }
        clients[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        if heartbeats == nil {
            heartbeats = Task { [weak self, heartbeat] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    await self?.beat()
                }
            }
        }
        return stream
    }

    /// The frame of a heartbeat: an SSE comment line.
    static let heartbeatFrame = ":\n\n"

    private func beat() {
        for client in clients.values { client.yield(Self.heartbeatFrame) }
    }

    /// Tells every browser that `generation` is serving, to update its page in place; clears the error.
    func update(generation: Int) {
        currentError = nil
        broadcast(.update(generation: generation))
    }

    /// Tells every browser to reload fully, for `reason`.
    func reload(reason: String) {
        broadcast(.reload(reason: reason))
    }

    /// Tells every browser that the public file at `path` (a URL path) changed and is now at `url`.
    func assetChanged(path: String, url: String) {
        broadcast(.asset(path: path, url: url))
    }

    /// Shows `message` under `title` in every browser's error overlay until the next update.
    /// A message over ``maxMessageBytes`` is cut there, with a line saying the terminal has the
    /// rest, so that the events a browser has not read yet (at most 16) stay small.
    func error(title: String, message: String) {
        let event = LiveEvent.error(title: title, message: Self.cut(message))
        currentError = event
        broadcast(event)
    }

    /// The most of an error's text sent to browsers, in UTF-8 bytes.
    static let maxMessageBytes = 32 * 1024

    /// `message`, or its first ``maxMessageBytes`` (never half a scalar's bytes) and a line saying how much
    /// more the terminal shows.
    static func cut(_ message: String) -> String {
        let bytes = Array(message.utf8)
        guard bytes.count > maxMessageBytes else { return message }
        var end = maxMessageBytes
        // Back to the start of a character's bytes (UTF-8 continuation bytes are 0b10xxxxxx).
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self) + "\n… \(bytes.count - end) more bytes in the terminal"
    }

    /// The number of connected browsers.
    var clientCount: Int { clients.count }

    private func remove(_ id: UUID) { clients.removeValue(forKey: id) }

    private func broadcast(_ event: LiveEvent) {
        let frame = event.frame
        for client in clients.values { client.yield(frame) }
    }

    /// Inserts the live-reload script before `</body>`, or at the end when there is none. The
    /// script of a page answering a POST says so: that page is never requested again.
    static func inject(into html: [UInt8], method: RequestMethod = .get) -> [UInt8] {
        let marker = Array("</body>".utf8)
        let script = Array((method == .post ? postScriptTag : scriptTag).utf8)
        if let range = lastRange(of: marker, in: html) {
            return Array(html[..<range]) + script + Array(html[range...])
        }
        return html + script
    }

    private static func lastRange(of marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        var index = bytes.count - marker.count
        while index >= 0 {
            if bytes[index..<(index + marker.count)].elementsEqual(marker) { return index }
            index -= 1
        }
        return nil
    }

    /// An inline script that shows `message` under `title` in this page's error overlay (it
    /// runs after the live-reload script, as module scripts run in document order).
    static func overlayScript(title: String, message: String) -> String {
        let json = (try? JSONEncoder().encode(["title": title, "message": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // `<` never appears raw, so the JSON cannot end the script element.
        let safe = json.replacingOccurrences(of: "<", with: "\\u003c")
        return "<script type=\"module\">window.rwLiveReload?.showOverlay(\(safe));</script>"
    }

    static let scriptTag = "<script type=\"module\" src=\"\(RwPaths.liveScript)\"></script>"
    static let postScriptTag = "<script type=\"module\" src=\"\(RwPaths.liveScript)\" data-rw-method=\"POST\"></script>"

    /// The dev scripts by URL path: live.js (it imports the other two), morph.js and overlay.js.
    static let scripts: [String: [UInt8]] = [
        RwPaths.liveScript: bytes(rw_browser_live_js()),
        RwPaths.morphScript: bytes(rw_browser_morph_js()),
        RwPaths.overlayScript: bytes(rw_browser_overlay_js())
    ]

    private static func bytes(_ script: RwBrowserScript) -> [UInt8] {
        Array(UnsafeBufferPointer(start: script.bytes, count: script.count))
    }
}
