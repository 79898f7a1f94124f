import Testing

/// Large request heads that are still within the limits, large values kept in `ctx`, and large
/// response headers: served whole, nothing truncated; just past the limits a 400. Per-request
/// state is released after each request, so a long run of such requests does not grow memory.
@Suite struct OversizedContextTests {
    @Test func headerJustUnderTheLimitReachesCtxAndTheResponseWhole() async throws {
        try await FaultServer.with { server in
            let value = String(repeating: "t", count: 70_000)
            let response = try await server.request("GET", "/trace", headers: [("X-Trace", value)])
            #expect(response.status == 200)
            #expect(response.header("X-Trace-Length") == "70000")
            #expect(response.header("X-Trace") == value, "the 70 KB response header was altered")
            #expect(response.text == value)
            let over = try await server.exchange("GET /trace HTTP/1.1\r\nHost: x\r\nX-Trace: \(String(repeating: "t", count: 90_000))\r\n\r\n")
            #expect(over.response?.status == 400 || over.isClosed)
            try await server.expectServing()
        }
    }

    @Test func fieldCountLimitIs1000() async throws {
        try await FaultServer.with { server in
            let many = (0..<990).map { ("X-F\($0)", "v") }
            #expect(try await server.request("GET", "/", headers: many).status == 200)
            let tooMany = (0..<1001).map { ("X-F\($0)", "v") }
            var head = "GET / HTTP/1.1\r\nHost: x\r\n"
            for (name, value) in tooMany { head += "\(name): \(value)\r\n" }
            let outcome = try await server.exchange(head + "\r\n")
            #expect(outcome.response?.status == 400 || outcome.isClosed)
            try await server.expectServing()
        }
    }

    /// 200 requests that each keep 8 MiB in ctx (1.6 GiB in all): the server's memory stays
    /// within 64 MiB of where it started, so nothing of a finished request is retained.
    @Test func largeCtxValuesAreReleasedAfterEachRequest() async throws {
        try await FaultServer.with { server in
            try await server.expectServing()
            let before = try #require(server.residentMemory())
            for _ in 0..<200 {
                let response = try await server.request("GET", "/ctx-size", headers: [("X-Ctx-MiB", "8")])
                #expect(response.text == "\(8 << 20)")
            }
            let after = try #require(server.residentMemory())
            #expect(after - before < 64 << 20, "resident memory went from \(before >> 20) MiB to \(after >> 20) MiB")
            try await server.expectServing()
        }
    }
}
