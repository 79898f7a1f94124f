import Testing

extension RawConnection {
    /// Reads what follows a request the server must refuse and says what was wrong with it; empty
    /// when the server behaved. The server must answer `status` with `Connection: close`, then
    /// close the connection without sending anything more: a connection dropped without an
    /// answer, an answer that leaves the connection open, a response to a later request on the
    /// same connection, or silence for `timeout` are each a problem.
    func refusalProblems(status: Int = 400, timeout: Duration = .seconds(10)) async -> [String] {
        let response: RawResponse
        switch await readResponse(timeout: timeout) {
        case .response(let answer): response = answer
        case .closed(let received):
            return ["the connection closed without a response (\(received.count) bytes of one came)"]
        case .timedOut: return ["neither a response nor a close within \(timeout)"]
        }
        var problems: [String] = []
        if response.status != status { problems.append("answered \(response.status), not \(status)") }
        if response.header("Connection")?.lowercased() != "close" {
            problems.append("the \(response.status) says Connection: \(response.header("Connection") ?? "nothing"), not close")
        }
        switch await readResponse(timeout: timeout) {
        case .closed(let received) where received.isEmpty: break
        case .closed(let received): problems.append("\(received.count) more bytes came before the close")
        case .response(let next): problems.append("another response (\(next.status) \(next.text)) followed the \(response.status)")
        case .timedOut: problems.append("the connection stayed open \(timeout) after the \(response.status)")
        }
        return problems
    }
}

/// Opens a connection to `port`, sends `bytes` while reading (a server may refuse before it has
/// read everything), and returns ``RawConnection/refusalProblems(status:timeout:)``.
func refusalProblems(port: Int, sending bytes: [UInt8], status: Int = 400, timeout: Duration = .seconds(10)) async throws -> [String] {
    let connection = try RawConnection(port: port)
    async let sent = connection.send(bytes)
    let problems = await connection.refusalProblems(status: status, timeout: timeout)
    connection.abort()  // a send still blocked on a server that stopped reading returns now
    _ = await sent
    return problems
}

extension FaultServer {
    /// Sends `bytes` on a new connection and checks that the server refuses them: `status`, then
    /// `Connection: close`, then the close, nothing more. Records an issue naming `fault` for
    /// every problem.
    func expectRefusal(
        _ bytes: [UInt8], status: Int = 400, fault: String, timeout: Duration = .seconds(10),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let problems = try await refusalProblems(port: port, sending: bytes, status: status, timeout: timeout)
        #expect(problems.isEmpty, "\(fault): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
    }

    /// ``expectRefusal(_:status:fault:timeout:sourceLocation:)`` for a text request.
    func expectRefusal(
        _ text: String, status: Int = 400, fault: String, timeout: Duration = .seconds(10),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await expectRefusal(Array(text.utf8), status: status, fault: fault, timeout: timeout, sourceLocation: sourceLocation)
    }
}
