import Foundation
import Testing

/// SIGTERM while a response is still on its way: the server finishes it, then exits cleanly;
/// with nothing in flight it exits at once, and a client that never reads holds it at most for
/// the shutdown bound (10 s, `DrainingCloseHandler.defaultBound`).
@Suite(.timeLimit(.minutes(5))) struct ShutdownTests {
    /// Asks for 16 MiB on a new connection and reads nothing; returns once the app began it.
    static func startLargeResponse(_ server: FaultServer) async throws -> RawConnection {
        let handledBefore = try #require(Int(try await server.request("GET", "/bytes-handled").text))
        let connection = try RawConnection(port: server.port)
        // 16 MiB: far more than the socket buffers hold, so most of it is still to be written
        // when the signal comes, while this client reads nothing.
        #expect(await connection.send("GET /bytes/\(16 << 20)/0 HTTP/1.1\r\nHost: x\r\n\r\n"))
        let deadline = ContinuousClock.now + .seconds(10)
        var handled = handledBefore
        while handled == handledBefore, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))  // the pace of the looks: the app's start has no event here
            handled = try #require(Int(try await server.request("GET", "/bytes-handled").text))
        }
        try #require(handled > handledBefore, "the app never began the request")
        return connection
    }

    @Test func sigtermLetsAResponseInFlightFinishThenExitsCleanly() async throws {
        let server = try await FaultServer.start()
        let connection = try await Self.startLargeResponse(server)
        kill(server.pid, SIGTERM)
        let outcome = await connection.readResponse(timeout: .seconds(30))
        guard case .response(let response) = outcome else {
            if case .closed(let received) = outcome {
                Issue.record("the response in flight was cut by the shutdown after \(received.count) bytes")
            } else {
                Issue.record("the response in flight did not arrive within 30 s")
            }
            return
        }
        #expect(response.status == 200)
        #expect(response.body.count == 16 << 20, "the response in flight arrived with \(response.body.count) bytes")
        #expect(await server.stop() == 0, "the server should exit cleanly once the response is written")
    }

    /// An idle keep-alive connection does not delay the exit: it is closed at once, and the
    /// server exits well before the shutdown bound.
    @Test func sigtermWithOnlyAnIdleConnectionExitsAtOnce() async throws {
        let server = try await FaultServer.start()
        let connection = try RawConnection(port: server.port)
        #expect(await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        let response = try #require(await connection.readResponse().response, "no response to GET /")
        #expect(response.status == 200)
        let signalled = ContinuousClock.now
        kill(server.pid, SIGTERM)
        #expect(await connection.waitForClose(timeout: .seconds(5)), "the idle connection was still open 5 s after SIGTERM")
        #expect(await server.stop() == 0)
        let took = ContinuousClock.now - signalled
        #expect(took < .seconds(5), "the exit took \(took), as if the idle connection were waited for")
    }

    /// A client that never reads its response holds the shutdown only until the bound passes
    /// (with the idle timeout off, so that nothing else closes it): then its connection is
    /// closed and the server exits cleanly.
    @Test func aClientThatNeverReadsHoldsTheShutdownOnlyUntilTheBound() async throws {
        let server = try await FaultServer.start(["--idle-timeout", "0"])
        let connection = try await Self.startLargeResponse(server)
        let signalled = ContinuousClock.now
        kill(server.pid, SIGTERM)
        #expect(await server.stop() == 0, "the server should exit cleanly once the bound passed")
        let took = ContinuousClock.now - signalled
        #expect(took >= .seconds(9), "the exit came after \(took), before the 10 s bound: the response was not waited for")
        #expect(took < .seconds(25), "the exit took \(took), far past the 10 s bound")
        let outcome = await connection.readResponse(timeout: .seconds(10))
        #expect(outcome.response == nil, "a client that read nothing received the whole response: \(outcome)")
    }
}
