import Testing

/// Bodies over `--max-body-size`: answered with 413 and the connection closed, the body is never
/// held in memory, and the server goes on. A body within the limit arrives whole.
@Suite(.timeLimit(.minutes(10))) struct BodyLimitTests {
    static let hundredMiB = 100 << 20

    @Test(arguments: [false, true])
    func hundredMiBBodyGets413AndMemoryStaysFlat(chunked: Bool) async throws {
        try await FaultServer.with { server in
            try await server.expectServing()
            let before = try #require(server.residentMemory())
            let connection = try RawConnection(port: server.port)
            let length = chunked ? "Transfer-Encoding: chunked" : "Content-Length: \(Self.hundredMiB)"
            await connection.send(
                "POST /_rw/action/echo HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nContent-Type: application/octet-stream\r\n\(length)\r\n\r\n"
            )
            // Upload while reading, as a browser does: the answer comes before the body is through.
            async let sent = connection.sendFiller(size: Self.hundredMiB, chunked: chunked)
            let outcome = await connection.readResponse(timeout: .seconds(30))
            let response = try #require(outcome.response, "no response to a 100 MiB body: \(outcome)")
            #expect(response.status == 413)
            #expect(response.text.contains("larger than \(2 * 1024 * 1024) bytes"))
            #expect(response.header("Connection") == "close")
            // The server closes instead of reading on (2 s of linger, then the upload fails).
            #expect(await connection.waitForClose(timeout: .seconds(15)), "the connection stayed open after the 413")
            _ = await sent
            let peak = try #require(server.peakResidentMemory())
            #expect(peak - before < 64 << 20, "resident memory grew from \(before >> 20) MiB to a peak of \(peak >> 20) MiB")
            try await server.expectServing()
        }
    }

    /// A body of exactly the limit is accepted and reaches the action whole; one byte more is not.
    @Test func bodyAtTheLimitArrivesWhole() async throws {
        try await FaultServer.with(["--max-body-size", "1048576"]) { server in
            let json = [("Accept", "application/json"), ("Content-Type", "application/octet-stream")]
            let exact = [UInt8](repeating: UInt8(ascii: "b"), count: 1_048_576)
            let accepted = try await server.request("POST", Array("/_rw/action/echo".utf8), headers: json, body: exact)
            #expect(accepted.status == 200)
            #expect(accepted.text.contains(#""bytes":"1048576""#))
            let over = try await server.request("POST", Array("/_rw/action/echo".utf8), headers: json, body: exact + [0])
            #expect(over.status == 413)
        }
    }
}
