import Testing

extension FaultServer {
    /// Opens a connection, sends `bytes` as they are while reading, and returns what came back
    /// first (a server may answer before it has read everything).
    func exchange(_ bytes: [UInt8], timeout: Duration = .seconds(10), toHead: Bool = false) async throws -> ReadOutcome {
        let connection = try RawConnection(port: port)
        async let sent = connection.send(bytes)
        let outcome = await connection.readResponse(timeout: timeout, toHead: toHead)
        connection.abort()  // a send still blocked on a server that stopped reading returns now
        _ = await sent
        return outcome
    }

    /// Opens a connection, sends `text` as UTF-8, and reads what comes back.
    func exchange(_ text: String, timeout: Duration = .seconds(10)) async throws -> ReadOutcome {
        try await exchange(Array(text.utf8), timeout: timeout)
    }

    /// Sends a well-formed request (with `Host` and `Connection: close`) whose target and body
    /// may hold any bytes, and returns the response; fails the test when none comes.
    func request(
        _ method: String = "GET",
        _ target: [UInt8],
        headers: [(String, String)] = [],
        body: [UInt8] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RawResponse {
        var bytes = Array("\(method) ".utf8) + target + Array(" HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n".utf8)
        for (name, value) in headers { bytes += Array("\(name): \(value)\r\n".utf8) }
        if !body.isEmpty || method == "POST" { bytes += Array("Content-Length: \(body.count)\r\n".utf8) }
        bytes += Array("Connection: close\r\n\r\n".utf8) + body
        let outcome = try await exchange(bytes, toHead: method == "HEAD")
        return try #require(outcome.response, "no response to \(method) \(String(decoding: target, as: UTF8.self)): \(outcome)", sourceLocation: sourceLocation)
    }

    /// ``request(_:_:headers:body:sourceLocation:)`` with a text target.
    func request(
        _ method: String = "GET",
        _ target: String,
        headers: [(String, String)] = [],
        body: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RawResponse {
        try await request(method, Array(target.utf8), headers: headers, body: Array(body.utf8), sourceLocation: sourceLocation)
    }

    /// Checks, on a new connection, that the server still answers `GET /` with 200 "ok".
    func expectServing(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await request("GET", "/", sourceLocation: sourceLocation)
        #expect(response.status == 200 && response.text == "ok", "the server stopped serving", sourceLocation: sourceLocation)
    }
}
