import Foundation

/// Pushes reload and error events to connected browsers (Server-Sent Events on `/_rw/events`)
/// and provides the script that listens for them.
actor LiveReload {
    private var clients: [UUID: AsyncStream<String>.Continuation] = [:]
    private var currentError: String?
    private let session = UUID().uuidString

    /// A new browser connection: it first receives `hello` (this dev server session's id, so a
    /// browser reconnecting to a restarted server reloads) and the current error, if any.
    func subscribe() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(16))
        continuation.yield(Self.event("hello", session))
        if let currentError { continuation.yield(Self.event("error", currentError)) }
        clients[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        return stream
    }

    /// Tells every browser to reload; clears the error.
    func reload() {
        currentError = nil
        broadcast(Self.event("full-reload", "{}"))
    }

    /// Shows `message` under `title` in every browser's error overlay until the next reload.
    func error(title: String, message: String) {
        let payload = (try? JSONEncoder().encode(["title": title, "message": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        currentError = payload
        broadcast(Self.event("error", payload))
    }

    /// The number of connected browsers.
    var clientCount: Int { clients.count }

    private func remove(_ id: UUID) { clients.removeValue(forKey: id) }

    private func broadcast(_ event: String) {
        for client in clients.values { client.yield(event) }
    }

    private static func event(_ name: String, _ data: String) -> String {
        "event: \(name)\ndata: \(data.replacingOccurrences(of: "\n", with: "\ndata: "))\n\n"
    }

    /// Inserts the live-reload script before `</body>`, or at the end when there is none.
    static func inject(into html: [UInt8]) -> [UInt8] {
        let marker = Array("</body>".utf8)
        let script = Array(scriptTag.utf8)
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

    static let scriptTag = "<script type=\"module\" src=\"/_rw/live.js\"></script>"

    /// The browser side: reloads on `full-reload`, shows the overlay on `error`, reloads when it
    /// reconnects to a restarted dev server.
    static let script = """
        // rw dev live reload and error overlay.
        const overlayID = "rw-error-overlay";
        let session = null;

        function hideOverlay() {
          document.getElementById(overlayID)?.remove();
        }

        function showOverlay(problem) {
          hideOverlay();
          const overlay = document.createElement("div");
          overlay.id = overlayID;
          overlay.setAttribute("role", "alertdialog");
          overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);" +
            "color:#eee;font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto";
          const close = document.createElement("button");
          close.textContent = "×";
          close.title = "Dismiss";
          close.style.cssText = "float:right;font-size:1.5rem;background:none;color:#eee;border:0;cursor:pointer";
          close.addEventListener("click", hideOverlay);
          const title = document.createElement("h2");
          title.textContent = problem.title;
          title.style.cssText = "color:#ff6b6b;margin-top:0";
          const message = document.createElement("pre");
          message.textContent = problem.message;
          message.style.cssText = "white-space:pre-wrap";
          overlay.append(close, title, message);
          document.body.append(overlay);
        }

        const events = new EventSource("/_rw/events");
        events.addEventListener("hello", (event) => {
          if (session !== null && session !== event.data) location.reload();
          session = event.data;
        });
        events.addEventListener("full-reload", () => location.reload());
        events.addEventListener("error", (event) => {
          if (event.data) showOverlay(JSON.parse(event.data));
        });
        // `session` is the dev server session's id once the event stream said hello.
        window.rwLiveReload = { showOverlay, hideOverlay, get session() { return session; } };

        """
}
