import Testing

/// Large request heads that are still within the limits, large values kept in `ctx`, and large
/// response headers: served whole, nothing truncated; just past the limits a 400. Per-request
/// state is released after each request, so a long run of such requests does not grow memory.
@Suite(.timeLimit(.minutes(10))) struct OversizedContextTests {
    @Test func headerJustUnderTheLimitReachesCtxAndTheResponseWhole() async throws {
        try await FaultServer.with { server in
            let value = String(repeating: "t", count: 70_000)
            let response = try await server.request("GET", "/trace", headers: [("X-Trace", value)])
            #expect(response.status == 200)
            #expect(response.header("X-Trace-Length") == "70000")
            #expect(response.header("X-Trace") == value, "the 70 KB response header was altered")
            #expect(response.text == value)
            try await server.expectRefusal(
                "GET /trace HTTP/1.1\r\nHost: x\r\nX-Trace: \(String(repeating: "t", count: 90_000))\r\n\r\n", fault: "90 KB of fields")
            try await server.expectServing()
        }
    }

    /// A head of `count` fields: `Host` and `count - 1` others.
    static func head(fields count: Int) -> String {
        var head = "GET / HTTP/1.1\r\nHost: x\r\n"
        for index in 1..<count { head += "X-F\(index): v\r\n" }
        return head + "\r\n"
    }

    /// Exactly 1000 fields (`Host` included) are served; 1001 are refused.
    @Test func fieldCountLimitIs1000() async throws {
        try await FaultServer.with { server in
            let atLimit = try await server.exchange(Self.head(fields: 1000))
            #expect(atLimit.response?.status == 200, "1000 fields: \(atLimit)")
            try await server.expectRefusal(Self.head(fields: 1001), fault: "1001 fields")
            try await server.expectServing()
        }
    }

    /// Sends `count` requests that each keep 8 MiB in ctx, one after the other on one keep-alive
    /// connection, and returns how far resident memory grew (bytes); stops early once it grew by
    /// more than `bound`. One connection, so a server that released ctx only when the connection
    /// closes would grow by all of it.
    static func ctxGrowth(_ server: FaultServer, requests count: Int, bound: Int) async throws -> Int {
        try await server.expectServing()
        let before = try #require(server.residentMemory())
        let connection = try RawConnection(port: server.port)
        let request = Array("GET /ctx-size HTTP/1.1\r\nHost: x\r\nX-Ctx-MiB: 8\r\n\r\n".utf8)
        for index in 0..<count {
            #expect(await connection.send(request), "request \(index) could not be sent")
            let response = try #require(await connection.readResponse().response, "no response to request \(index)")
            #expect(response.text == "\(8 << 20)")
            let growth = try #require(server.residentMemory()) - before
            if growth > bound { return growth }
        }
        return try #require(server.residentMemory()) - before
    }

    /// 200 requests on one keep-alive connection that each keep 8 MiB in ctx (1.6 GiB in all):
    /// the server's memory stays within 64 MiB of where it started, so nothing of a finished
    /// request is retained, even while its connection stays open.
    @Test func largeCtxValuesAreReleasedAfterEachRequest() async throws {
        try await FaultServer.with { server in
            let growth = try await Self.ctxGrowth(server, requests: 200, bound: 64 << 20)
            #expect(growth < 64 << 20, "resident memory grew by \(growth >> 20) MiB")
            try await server.expectServing()
        }
    }

    /// The check above fails against an app that keeps every ctx value it is given
    /// (`RW_FAULT_SERVER_RETAIN_CTX=1`): memory grows past the bound within a few requests.
    @Test func anAppRetainingCtxFailsTheCheck() async throws {
        try await FaultServer.with(environment: ["RW_FAULT_SERVER_RETAIN_CTX": "1"]) { server in
            let growth = try await Self.ctxGrowth(server, requests: 200, bound: 64 << 20)
            #expect(growth >= 64 << 20, "an app keeping 8 MiB per request grew by only \(growth >> 20) MiB")
        }
    }
}
