import Foundation
import Testing

/// Clients that ask for a large response and never read it: other clients are served meanwhile,
/// and the idle timeout closes the stalled connections, so what they hold is given back.
@Suite(.timeLimit(.minutes(5))) struct UnreadResponseTests {
    /// The server's open sockets (from /proc/<pid>/fd).
    static func sockets(_ server: FaultServer) -> Int {
        let folder = "/proc/\(server.pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return entries.filter {
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)")) ?? "")
                .hasPrefix("socket:")
        }.count
    }

    /// Ten clients each ask for 16 MiB and read nothing: a normal request is answered within
    /// 3 s meanwhile, and the server's socket count is back to where it was within `bound`.
    static func expectStalledClosed(_ server: FaultServer, within bound: Duration) async throws {
        try await server.expectServing()
        let baseline = Self.sockets(server)
        var stalled: [RawConnection] = []
        for index in 0..<10 {
            let connection = try RawConnection(port: server.port)
            #expect(await connection.send("GET /bytes/\(16 << 20)/\(index) HTTP/1.1\r\nHost: x\r\n\r\n"))
            stalled.append(connection)
        }
        // Served while the ten hold 160 MiB of unread responses.
        let asked = ContinuousClock.now
        try await server.expectServing()
        #expect(
            ContinuousClock.now - asked < .seconds(3),
            "a normal request waited \(ContinuousClock.now - asked)")
        // Their sockets are closed once the idle timeout passes without progress.
        let deadline = ContinuousClock.now + bound
        var open = Self.sockets(server)
        while open > baseline, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))  // the pace of the looks: a close on the server's side has no event here
            open = Self.sockets(server)
        }
        #expect(
            open <= baseline, "\(open - baseline) stalled connections were still open after \(bound)")
        try await server.expectServing()
        withExtendedLifetime(stalled) {}
    }

    @Test func stalledLargeResponsesAreClosedByTheIdleTimeoutAndOthersAreServed() async throws {
        try await FaultServer.with(["--idle-timeout", "2"]) { server in
            try await Self.expectStalledClosed(server, within: .seconds(15))
        }
    }

    /// Without an idle timeout the stalled connections stay open, and the check above fails.
    @Test func withoutAnIdleTimeoutTheCheckFails() async throws {
        try await FaultServer.with(["--idle-timeout", "0"]) { server in
            try await withKnownIssue("the stalled connections stay open") {
                try await Self.expectStalledClosed(server, within: .seconds(5))
            } matching: { issue in
                issue.comments.contains { $0.rawValue.contains("were still open") }
            }
        }
    }
}
