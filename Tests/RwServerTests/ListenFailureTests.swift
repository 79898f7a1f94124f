import Foundation
import Testing

/// A production server that cannot listen ends with one clear line and exit status 1, not with
/// the trap of an error thrown from top-level code (`try await serve(app)`).
@Suite(.timeLimit(.minutes(10))) struct ListenFailureTests {
    @Test func aPortInUseNamesThePortAndItsHolderAndExitsWithStatus1() async throws {
        try await FaultServer.with { server in
            let ended = try await FaultServer.runToExit(["--port", "\(server.port)"])
            #expect(ended.reason == .exit && ended.status == 1, "ended by \(ended.reason) with \(ended.status)")
            #expect(
                ended.standardError.contains(
                    "error: port \(server.port) on 127.0.0.1 is already in use by pid \(server.pid) (rw-fault-server)"),
                "standard error: \(ended.standardError)")
            #expect(!ended.standardError.contains("Fatal error"))
        }
    }
}
