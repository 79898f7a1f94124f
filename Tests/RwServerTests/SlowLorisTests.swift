import Testing

@testable import RwServer

/// Clients that send a request a byte at a time and never finish it, or connect and say nothing:
/// other clients are served meanwhile, and the idle timeout closes the slow connections.
@Suite(.timeLimit(.minutes(10))) struct SlowLorisTests {
    /// Sends `prefix`, then one more byte every `pace`, until the server closes the connection
    /// or `limit` passes; returns when the connection was opened and when its close was noticed,
    /// or `nil` for the close if it outlived `limit`.
    static func trickle(
        _ prefix: String, port: Int, pace: Duration, limit: Duration
    ) async throws -> (opened: ContinuousClock.Instant, closed: ContinuousClock.Instant?) {
        let connection = try RawConnection(port: port)
        let opened = ContinuousClock.now
        guard await connection.send(prefix) else { return (opened, opened) }
        while ContinuousClock.now - opened < limit {
            try await Task.sleep(for: pace)  // pacing the attacker, not waiting for the server
            guard await connection.send("a") else { return (opened, ContinuousClock.now) }
        }
        return (opened, nil)
    }

    /// Asks `server` for its page, one request after another (50 ms apart), for `asking`;
    /// returns when each request was asked and when it was answered.
    static func askMeanwhile(
        _ server: FaultServer, for asking: Duration
    ) async throws -> [(asked: ContinuousClock.Instant, answered: ContinuousClock.Instant)] {
        let start = ContinuousClock.now
        var requests: [(asked: ContinuousClock.Instant, answered: ContinuousClock.Instant)] = []
        while ContinuousClock.now - start < asking {
            let asked = ContinuousClock.now
            try await server.expectServing()
            requests.append((asked, ContinuousClock.now))
            try await Task.sleep(for: .milliseconds(50))  // pacing the normal client
        }
        return requests
    }

    /// Starts `clients` slow-loris connections (a head one byte per 100 ms, never finished)
    /// against a server whose idle timeout is expected to be `timeout`, and checks that
    /// - normal requests asked in the first 30 % of the timeout are answered before the first
    ///   slow connection is cut (a server serving others only once the slow connections are gone
    ///   fails; a loaded machine has 70 % of the timeout to answer);
    /// - every slow connection is cut between `timeout` and `timeout` plus 2 s (the first send
    ///   that notices the close may come a little after it). A connection open longer counts as
    ///   not cut.
    static func expectSlowHeadersCut(_ server: FaultServer, clients: Int, timeout: Duration) async throws {
        let latest = timeout + .seconds(2)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: (opened: ContinuousClock.Instant, closed: ContinuousClock.Instant?).self) { group in
            for _ in 0..<clients {
                group.addTask {
                    try await Self.trickle(
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", port: server.port, pace: .milliseconds(100), limit: latest)
                }
            }
            let requests = try await Self.askMeanwhile(server, for: timeout * 0.3)
            var firstOpened: ContinuousClock.Instant?
            for try await (opened, closed) in group {
                firstOpened = min(firstOpened ?? opened, opened)
                guard let closed else {
                    Issue.record("a slow-loris connection was still open after \(latest), past the \(timeout) idle timeout")
                    continue
                }
                #expect(
                    closed - opened >= timeout - .milliseconds(100),
                    "a slow-loris connection was cut after \(closed - opened), before the \(timeout) idle timeout")
            }
            // The earliest cut the check above accepts; a close is noticed only by a later send,
            // so the noticed closes would favour a server that answers as it cuts.
            let heldUntil = (firstOpened ?? start) + timeout - .milliseconds(100)
            #expect(!requests.isEmpty)
            for request in requests {
                #expect(
                    request.answered < heldUntil,
                    "a normal request asked at \(request.asked - start) was answered at \(request.answered - start), when the slow connections may have been cut (\(heldUntil - start))"
                )
            }
        }
    }

    @Test func slowHeadersAreCutOffAndOthersAreServedMeanwhile() async throws {
        // A long idle timeout: a loaded machine has 7 s to answer a normal request, while a
        // server that served others only once the slow connections were cut still fails.
        try await FaultServer.with(["--idle-timeout", "10"]) { server in
            try await Self.expectSlowHeadersCut(server, clients: 50, timeout: .seconds(10))
            try await server.expectServing()
        }
    }

    /// A server that cuts slow connections too late (here after 15 s where 10 s are expected, as
    /// a server ignoring `--idle-timeout` for its 30 s default would) fails the check above.
    @Test func aLateCutFailsTheCheck() async throws {
        try await FaultServer.with(["--idle-timeout", "15"]) { server in
            try await withKnownIssue("the connections outlive 10 s + 2 s") {
                try await Self.expectSlowHeadersCut(server, clients: 3, timeout: .seconds(10))
            } matching: { issue in
                issue.comments.contains { $0.rawValue.contains("still open after") }
            }
        }
    }

    @Test func silentAndIdleKeepAliveConnectionsAreClosed() async throws {
        try await FaultServer.with(["--idle-timeout", "1"]) { server in
            let silent = try RawConnection(port: server.port)
            let idle = try RawConnection(port: server.port)
            await idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await idle.readResponse().response?.status == 200)
            // Closed by the 1 s idle timeout; 3 s leaves room for a busy machine, a 30 s default does not.
            #expect(await silent.waitForClose(timeout: .seconds(3)), "a silent connection stayed open")
            #expect(await idle.waitForClose(timeout: .seconds(3)), "an idle keep-alive connection stayed open")
        }
    }

    /// Opens `clients` connections that each announce a 1 MB body and send one byte of it every
    /// `pace` until `lasting` has passed, while normal requests asked in the first half of that
    /// time must be answered before the trickle ends. Every byte must be accepted and every
    /// trickling connection still be open at the end.
    ///
    /// Connections are opened ten per round while the open ones already trickle, so no connection
    /// waits for the others to connect. A connection the test itself left silent for more than
    /// `pace` + 1 s (a starved test process: rounds of 7 s were seen with two test runs and a
    /// build on two cores) no longer counts: the server may rightly have cut it. At least half
    /// of the connections must keep the pace, or the check fails as inconclusive.
    ///
    /// With `othersAsking` false no normal requests are asked: a check meant to see trickling
    /// connections cut uses an idle timeout short enough that a starved machine may rightly cut a
    /// normal request's connection too.
    static func expectSlowBodiesKept(
        _ server: FaultServer, clients: Int, pace: Duration, lasting: Duration, othersAsking: Bool = true
    ) async throws {
        struct Trickle {
            let connection: RawConnection
            var lastSent: ContinuousClock.Instant
            var longestSilence: Duration = .zero
            var starved = false
        }
        var slow: [Trickle] = []
        let start = ContinuousClock.now
        let normal = Task { othersAsking ? try await Self.askMeanwhile(server, for: lasting / 2) : [] }
        var round = 0
        var longestRound = Duration.zero
        while ContinuousClock.now - start < lasting || slow.count < clients {
            let roundStart = ContinuousClock.now
            round += 1
            for index in slow.indices where !slow[index].starved {
                let now = ContinuousClock.now
                let silence = now - slow[index].lastSent
                slow[index].longestSilence = max(slow[index].longestSilence, silence)
                slow[index].lastSent = now
                if silence > pace + .seconds(1) {
                    slow[index].starved = true
                    continue
                }
                #expect(
                    await slow[index].connection.send("a"),
                    "trickling connection \(index) was closed in round \(round) (longest silence before a byte \(slow[index].longestSilence), longest round \(longestRound))"
                )
            }
            for _ in 0..<min(10, clients - slow.count) {
                let connection = try RawConnection(port: server.port)
                #expect(await connection.send("POST /_rw/action/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"))
                slow.append(Trickle(connection: connection, lastSent: ContinuousClock.now))
            }
            try await Task.sleep(for: pace)  // pacing the trickle, not waiting for the server
            longestRound = max(longestRound, ContinuousClock.now - roundStart)
        }
        let trickleEnd = ContinuousClock.now
        let requests = try await normal.value
        #expect(!othersAsking || !requests.isEmpty)
        for request in requests {
            #expect(
                request.answered < trickleEnd,
                "a normal request asked at \(request.asked - start) was answered at \(request.answered - start), after the trickle ended (\(trickleEnd - start))"
            )
        }
        let kept = slow.indices.filter { !slow[$0].starved }
        #expect(
            kept.count * 2 >= slow.count,
            "inconclusive: the test kept its pace on only \(kept.count) of \(slow.count) connections (longest round \(longestRound))")
        for index in kept {
            #expect(
                slow[index].connection.isOpen,
                "trickling connection \(index) was closed after \(round) rounds (longest silence before a byte \(slow[index].longestSilence), longest round \(longestRound))"
            )
        }
    }

    /// A body sent a byte at a time keeps its connection (every byte is progress) for more than
    /// twice the idle timeout, and the server still serves everyone else; the body limit bounds
    /// what it holds.
    @Test func slowBodiesDoNotStarveOtherClients() async throws {
        try await FaultServer.with(["--idle-timeout", "5"]) { server in
            try await Self.expectSlowBodiesKept(server, clients: 50, pace: .milliseconds(200), lasting: .seconds(11))
        }
    }

    /// The check above fails when the server cuts trickling bodies: here the bytes come slower
    /// than the idle timeout, as if the server did not count them as activity. (No normal requests
    /// are asked: under a 1 s idle timeout a starved machine may cut theirs as well, as seen in CI.)
    @Test func aCutTrickleFailsTheCheck() async throws {
        try await FaultServer.with(["--idle-timeout", "1"]) { server in
            try await withKnownIssue("the trickling connections are cut") {
                try await Self.expectSlowBodiesKept(
                    server, clients: 3, pace: .milliseconds(1500), lasting: .milliseconds(3500), othersAsking: false)
            } matching: { issue in
                issue.comments.contains { $0.rawValue.contains("trickling connection") }
            }
        }
    }

    @Test func idleTimeoutOptionDefaultsTo30SecondsAndZeroTurnsItOff() throws {
        #expect(try ServeOptions.parse([]).idleTimeLimit == .seconds(30))
        #expect(try ServeOptions.parse(["--idle-timeout", "2.5"]).idleTimeLimit == .milliseconds(2500))
        #expect(try ServeOptions.parse(["--idle-timeout", "0"]).idleTimeLimit == nil)
    }
}
