import Testing

/// Requests that are not HTTP at all, or break its syntax: each gets a 400 with
/// `Connection: close`, then the connection closes with nothing more sent, and the server keeps
/// serving the next request. `FaultCheckTests` shows the check failing against servers that drop
/// the connection without an answer, leave it open, or hang.
@Suite(.timeLimit(.minutes(10))) struct MalformedHTTPTests {
    static let garbage: [(String, [UInt8])] = [
        ("binary garbage", (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }),
        ("a request line without a version", Array("GET /\r\n\r\n".utf8)),
        ("a request line with spaces in the target", Array("GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
        ("an unknown HTTP version", Array("GET / HTTP/9.9\r\nHost: x\r\n\r\n".utf8)),
        ("a method with forbidden characters", Array("G(E)T / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
        ("a NUL in the request line", Array("GET /\u{0}x HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
        ("a header line without a colon", Array("GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n".utf8)),
        ("a space before the colon", Array("GET / HTTP/1.1\r\nHost : x\r\n\r\n".utf8)),
        ("a header name with a control character", Array("GET / HTTP/1.1\r\nX-\u{1}A: y\r\nHost: x\r\n\r\n".utf8)),
        ("a bare CR in a header value", Array("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n".utf8)),
        ("an obsolete folded header", Array("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n".utf8)),
        ("a non-numeric Content-Length", Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n".utf8)),
        ("a negative Content-Length", Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".utf8)),
        ("two different Content-Lengths", Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab".utf8)),
        (
            "Content-Length together with chunked (request smuggling)",
            Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8)
        ),
        ("a bad chunk size", Array("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n".utf8)),
        ("an unknown transfer coding", Array("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nab".utf8))
    ]

    @Test(arguments: garbage.indices)
    func malformedRequestGets400ThenCloseAndTheServerGoesOn(index: Int) async throws {
        let (name, bytes) = Self.garbage[index]
        try await FaultServer.with { server in
            try await server.expectRefusal(bytes, fault: name)
            try await server.expectServing()
        }
    }

    /// A malformed request followed by a well-formed one on the same keep-alive connection.
    static let smuggling = "GET / HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\nGET /echo/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"

    /// After a malformed request on a keep-alive connection, no later request on that connection
    /// is processed (nothing smuggled after garbage reaches the app): the 400 is the last thing
    /// sent, and the connection closes. A server that hangs instead fails too.
    @Test func nothingAfterGarbageOnTheSameConnectionIsServed() async throws {
        try await FaultServer.with { server in
            try await server.expectRefusal(Self.smuggling, fault: "garbage, then a request")
            try await server.expectServing()
        }
    }

    /// A client that connects and disconnects at once, or sends half a request and leaves, does
    /// not disturb the server.
    @Test func abandonedConnectionsAreHarmless() async throws {
        try await FaultServer.with { server in
            for round in 0..<50 {
                let connection = try RawConnection(port: server.port)
                if round % 2 == 1 { await connection.send("GET /echo/half HTTP/1.1\r\nHost: x\r\nX-A: ") }
            }
            try await server.expectServing()
        }
    }
}
