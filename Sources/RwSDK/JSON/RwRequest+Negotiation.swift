extension RwRequest {
    /// Whether the client would rather have JSON than HTML: its `Accept` names
    /// `application/json`, or it names neither that nor `text/html` and the request's own body
    /// is JSON (an API client that sends JSON and accepts anything). Error responses and server
    /// action results are JSON for such a client.
    package var prefersJSON: Bool {
        let accept = headers["Accept"]
        // Searched in the UTF-8 bytes (Foundation's `contains` goes through `NSString`).
        if let accept, accept.containsBytes(of: "application/json") { return true }
        if let accept, accept.containsBytes(of: "text/html") { return false }
        guard let type = headers["Content-Type"] else { return false }
        if case .json = BodyKind(contentType: type) { return true }
        return false
    }

    /// Whether the client's `Accept` names `text/html` and not `application/json` (a browser
    /// navigating to a page).
    package var acceptsOnlyHTML: Bool {
        guard let accept = headers["Accept"] else { return false }
        return accept.containsBytes(of: "text/html") && !accept.containsBytes(of: "application/json")
    }
}
