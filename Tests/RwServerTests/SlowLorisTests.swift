import Testing

@testable import RwServer

/// Clients that send a request a byte at a time and never finish it, or connect and say nothing:
/// other clients are served meanwhile, and the idle timeout closes the slow connections.
@Suite struct SlowLorisTests {
    /// Sends `prefix`, then one more byte every `pace`, until the server closes the connection
    /// or `limit` passes; returns how long the connection lasted, or `nil` if it outlived `limit`.
    static func trickle(_ prefix: String, port: Int, pace: Duration, limit: Duration) async throws -> Duration? {
        let connection = try RawConnection(port: port)
        let start = ContinuousClock.now
        guard await connection.send(prefix) else { return .zero }
        while ContinuousClock.now - start < limit {
            try await Task.sleep(for: pace)  // pacing the attacker, not waiting for the server
            guard await connection.send("a") else { return ContinuousClock.now - start }
        }
        return nil
    }

    @Test func slowHeadersAreCutOffAndOthersAreServedMeanwhile() async throws {
        // The idle timeout is well above the wait a normal request is allowed, so a server that
        // served others only once the slow connections were cut would fail.
        try await FaultServer.with(["--idle-timeout", "5"]) { server in
            try await withThrowingTaskGroup(of: Duration?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await Self.trickle(
                            "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", port: server.port, pace: .milliseconds(100), limit: .seconds(30))
                    }
                }
                // While the fifty hold their connections, everyone else is served promptly.
                for _ in 0..<10 {
                    let start = ContinuousClock.now
                    try await server.expectServing()
                    #expect(ContinuousClock.now - start < .seconds(3), "a normal request waited \(ContinuousClock.now - start)")
                    try await Task.sleep(for: .milliseconds(50))
                }
                for try await lasted in group {
                    let lasted = try #require(lasted, "a slow-loris connection was still open after 30 s")
                    // Closed by the 5 s idle timeout (the first send that notices may come a little later).
                    #expect(lasted >= .milliseconds(4900), "a slow-loris connection lasted \(lasted)")
                }
            }
            try await server.expectServing()
        }
    }

    @Test func silentAndIdleKeepAliveConnectionsAreClosed() async throws {
        try await FaultServer.with(["--idle-timeout", "1"]) { server in
            let silent = try RawConnection(port: server.port)
            let idle = try RawConnection(port: server.port)
            await idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await idle.readResponse().response?.status == 200)
            #expect(await silent.waitForClose(timeout: .seconds(10)), "a silent connection stayed open")
            #expect(await idle.waitForClose(timeout: .seconds(10)), "an idle keep-alive connection stayed open")
        }
    }

    /// A body sent a byte at a time keeps its connection (every byte is progress), but the
    /// server still serves everyone else; the body limit bounds what it holds.
    @Test func slowBodiesDoNotStarveOtherClients() async throws {
        try await FaultServer.with(["--idle-timeout", "1"]) { server in
            var slow: [RawConnection] = []
            for _ in 0..<50 {
                let connection = try RawConnection(port: server.port)
                await connection.send("POST /_rw/action/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
                slow.append(connection)
            }
            for _ in 0..<10 {
                for connection in slow { await connection.send("a") }
                let start = ContinuousClock.now
                try await server.expectServing()
                #expect(ContinuousClock.now - start < .seconds(3), "a normal request waited \(ContinuousClock.now - start)")
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    @Test func idleTimeoutOptionDefaultsTo30SecondsAndZeroTurnsItOff() throws {
        #expect(try ServeOptions.parse([]).idleTimeLimit == .seconds(30))
        #expect(try ServeOptions.parse(["--idle-timeout", "2.5"]).idleTimeLimit == .milliseconds(2500))
        #expect(try ServeOptions.parse(["--idle-timeout", "0"]).idleTimeLimit == nil)
    }
}
