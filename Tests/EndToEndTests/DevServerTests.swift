import Foundation
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `rw dev` on the dev-app fixture: real processes, real HTTP, real edits.
@Suite(.serialized, .timeLimit(.minutes(30)))
struct DevServerTests {
    @Test func editsReloadWhileDefinedStateAndGlobalsSurvive() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/counter") { $0 == "v0 kept=1 global=1" }
        for round in 1...20 {
            try DevFixture.setMarker("v\(round)")
            let body = try await dev.waitFor("/") { $0 == "marker=v\(round)" }
            #expect(body == "marker=v\(round)")
            let counter = try await dev.http.send("GET", "/counter")
            // The counter kept with defineRwState goes on, and so does the module global; the
            // changed `marker` starts anew.
            #expect(counter.text == "v\(round) kept=\(round + 1) global=\(round + 1)")
        }
        let state = try await dev.state()
        let entries = try #require(state["entries"] as? [[String: Any]])
        let store = try #require(entries.first { $0["key"] as? String == "requestInfoStore" })
        #expect(store["generation"] as? Int == 1, "the TaskLocal behind requestInfo is still generation 1's instance")
        #expect(state["currentGeneration"] as? Int == 21)
        let page = try await dev.http.send("GET", "/page")
        #expect(page.text.contains(#"<script type="module" src="/_rw/live.js"></script>"#))
        await dev.stop()
    }

    /// A start with nothing SwiftPM builds changed since the last session runs no SwiftPM and
    /// serves the first page from the last session's deps image, libRwState.so and runner (said
    /// in the terminal and the inspector); a changed manifest makes the next start run SwiftPM.
    @Test func aWarmStartRunsNoSwiftPMUntilTheManifestChanges() async throws {
        // Whatever the earlier sessions left, this one leaves a record of what it started from.
        let first = try await DevServerProcess.start()
        try await first.waitFor("/") { $0 == "marker=v0" }
        await first.stop()

        let warm = try await DevServerProcess.start()
        #expect(await warm.child.waitForLine(containing: "⚡ warm start", timeout: 5) != nil)
        #expect(try await warm.http.send("GET", "/").text == "marker=v0")
        let state = try await warm.state()
        #expect((state["start"] as? String)?.hasPrefix("warm start") == true)
        #expect(!warm.child.linesSoFar.contains { $0.contains("compiling dependencies") }, "a warm start runs no SwiftPM build")
        await warm.stop()

        try DevFixture.reset()
        try (DevFixture.manifest + "// changed\n").write(to: DevFixture.manifestFile, atomically: true, encoding: .utf8)
        let changed = try await DevServerProcess.start(package: DevFixture.directory)
        #expect(await changed.child.waitForLine(containing: "SwiftPM runs: a manifest or Package.resolved changed", timeout: 5) != nil)
        #expect(changed.child.linesSoFar.contains { $0.contains("compiling dependencies") })
        #expect(try await changed.http.send("GET", "/").text == "marker=v0")
        await changed.stop()
        try DevFixture.reset()
    }

    @Test func requestSpanningAReloadKeepsItsRequestInfo() async throws {
        let dev = try await DevServerProcess.start()
        let span = Task {
            try await dev.http.send("GET", "/span", headers: ["X-Request-ID": "span-42"])
        }
        // Wait until the request is parked inside generation 1's handler.
        try await dev.waitForStateKey("span.release")
        try DevFixture.setMarker("v2")
        try await dev.waitFor("/") { $0 == "marker=v2" }
        let release = try await dev.http.send("GET", "/release")
        #expect(release.text == "released")
        let reply = try await span.value
        #expect(reply.status == 200)
        #expect(reply.header("X-Span") == "started-on-v0")
        // Generation 2's code read generation 1's request through the shared TaskLocal.
        #expect(reply.text == "started=v0 hook=v2 read path=/span id=span-42")
        await dev.stop()
    }

    @Test func noRequestFailsUnderLoadDuringTenReloads() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/") { $0 == "marker=v0" }
        let load = LoadTally()
        let clients = dev.generateLoad(load, clients: 4) { $0.hasPrefix("marker=v") }
        for round in 1...10 {
            try DevFixture.setMarker("v\(round)")
            try await dev.waitFor("/") { $0 == "marker=v\(round)" }
        }
        load.stop.store(true, ordering: .relaxed)
        await clients.value
        let outcomes = load.outcomes.withLock { $0 }
        #expect(outcomes.keys.sorted() == ["ok"], "every request under load succeeded: \(outcomes)")
        #expect((outcomes["ok"] ?? 0) > 10)
        await dev.stop()
    }

    @Test func compileErrorKeepsServingAndTheFixReloads() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/") { $0 == "marker=v0" }
        let events = try EventStreamReader(port: dev.port)
        #expect(await events.waitFor("event: hello") != nil)
        try DevFixture.edit { $0 + "\nlet broken: Int = \"not a number\"\n" }
        let stream = await events.waitFor("event: error")
        #expect(stream?.contains("cannot convert value of type") == true)
        #expect(try await dev.http.send("GET", "/").text == "marker=v0", "the last good generation keeps serving")
        try DevFixture.setMarker("fixed")
        #expect(await events.waitFor("event: update") != nil)
        #expect(try await dev.http.send("GET", "/").text == "marker=fixed")
        await dev.stop()
    }

    @Test func concurrentRequestsFinishingInReverseOrderEachGetTheirOwnResponse() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/") { $0 == "marker=v0" }
        // Every handler waits until all have arrived in the runner, then they finish from the
        // last index down: the runner holds them all at once and answers out of order.
        let count = 24
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]
        configuration.httpMaximumConnectionsPerHost = count
        configuration.timeoutIntervalForRequest = 120
        let session = URLSession(configuration: configuration)
        let port = dev.port
        let replies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<count {
                group.addTask {
                    let url = URL(string: "http://127.0.0.1:\(port)/reverse/\(count)/\(index)")!
                    let (data, _) = try await session.data(from: url)
                    return (index, String(decoding: data, as: UTF8.self))
                }
            }
            return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }
        for index in 0..<count {
            #expect(replies[index] == "request \(index) finished \(count - index)")
        }
        // A second rw dev on the same folder refuses at once, naming the first one's pid, and
        // the first one goes on serving.
        let second = try await CapturedRun.rw(["dev", "--package-path", DevFixture.directory.path, "--port", "0"])
        #expect(second.status == 1)
        #expect(
            second.errors.contains("another rw dev (pid \(dev.child.process.processIdentifier)) is already serving"), "\(second)")
        #expect(try await dev.http.send("GET", "/").text == "marker=v0")
        await dev.stop()
    }

    @Test func trapInARouteRestartsTheRunner() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/counter") { $0.hasPrefix("v0 kept=") }
        let crash = try await dev.http.send("GET", "/trap")
        #expect(crash.status == 500)
        #expect(crash.text.contains("The runner crashed"))
        #expect(crash.text.contains("trap requested by the test"))
        let after = try await dev.http.send("GET", "/counter")
        #expect(after.status == 200)
        #expect(after.text == "v0 kept=1 global=1", "the restarted runner starts with fresh state")
        await dev.stop()
    }
}
