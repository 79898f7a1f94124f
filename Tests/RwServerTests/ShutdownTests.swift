import Foundation
import Testing

/// SIGTERM while a response is still on its way: the server finishes it, then exits cleanly.
@Suite(.timeLimit(.minutes(5))) struct ShutdownTests {
    @Test func sigtermLetsAResponseInFlightFinishThenExitsCleanly() async throws {
        let server = try await FaultServer.start()
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
        kill(server.pid, SIGTERM)
        let outcome = await connection.readResponse(timeout: .seconds(30))
        // Hummingbird closes a quiescing connection as soon as the response's end is queued, and
        // the close drops the writes still pending.
        withKnownIssue("SIGTERM cuts a large response in flight") {
            guard case .response(let response) = outcome else {
                Issue.record("the response in flight was cut by the shutdown")
                return
            }
            #expect(response.status == 200)
            #expect(response.body.count == 16 << 20, "the response in flight arrived with \(response.body.count) bytes")
        }
        #expect(await server.stop() == 0, "the server should exit cleanly once the response is written")
    }
}
