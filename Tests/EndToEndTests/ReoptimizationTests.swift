import Foundation
import RwWire
import Testing

/// Re-optimization: an edit that starts importing a module the deps image lacks.
extension DevServerTests {
    @Test func newImportReoptimizesUnderLoadAndKeepsState() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/counter") { $0 == "v0 kept=1 global=1" }
        let identity = try await dev.http.send("GET", "/identity").text
        #expect(identity.contains("count=1"))
        let before = try await dev.depsHash()
        let span = Task { try await dev.http.send("GET", "/span", headers: ["X-Request-ID": "in-flight"]) }
        try await dev.waitForStateKey("span.release")

        let load = LoadTally()
        let clients = dev.generateLoad(load, clients: 3)
        try DevFixture.importAlgorithms(marker: "v1")
        try await dev.waitFor("/", attempts: 6000) { $0 == "marker=v1 chunks=[[1, 2], [3, 4], [5]]" }
        load.stop.store(true, ordering: .relaxed)
        await clients.value
        let outcomes = load.outcomes.withLock { $0 }
        #expect(outcomes.keys.sorted() == ["ok"], "no request failed during re-optimization: \(outcomes)")

        let after = try await dev.depsHash()
        #expect(after != before, "the deps image was rebuilt with Algorithms")
        let counter = try await dev.http.send("GET", "/counter")
        #expect(counter.text == "v1 kept=2 global=2", "defineRwState state and the app's global counter came through the re-optimization")
        // A deps layer was added: Atomics and RwSDK were not loaded again.
        let kept = try await dev.http.send("GET", "/identity").text
        #expect(
            kept == identity.replacingOccurrences(of: "count=1", with: "count=2"),
            "the ManagedAtomic kept in state and RwSDK's type metadata are the same: \(identity) → \(kept)")
        let entries = try #require(try await dev.state()["entries"] as? [[String: Any]])
        let store = try #require(entries.first { $0["key"] as? String == "requestInfoStore" })
        #expect(store["generation"] as? Int == 1, "requestInfo's TaskLocal is still the instance generation 1 created")

        #expect(try await dev.http.send("GET", "/release").text == "released")
        let reply = try await span.value
        #expect(reply.header("X-Span") == "started-on-v0")
        #expect(reply.text == "started=v0 hook=v1 read path=/span id=in-flight")
        await dev.stop()
    }

    @Test func imageBuiltForAnotherDepsImageIsRefused() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/") { $0 == "marker=v0" }
        // Act as a front for a second runner of this session: it connects, says hello, and is
        // asked to load generation 1 for a deps image it was not compiled against.
        let directory = DevFixture.directory.appendingPathComponent(".rw")
        let socketPath = "/tmp/rw-test-runner-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let listener = try UnixSocket.listen(at: socketPath)
        defer { unlink(socketPath) }
        let runner = Process()
        let stateFolder = directory.appendingPathComponent("dev")
        let home = try #require(try FileManager.default.contentsOfDirectory(atPath: stateFolder.path).first { $0.hasPrefix("runner-") })
        runner.executableURL = stateFolder.appendingPathComponent(home).appendingPathComponent("rw-runner")
        runner.arguments = [socketPath]
        try runner.run()
        defer { runner.terminate() }
        let deadline = ContinuousClock.now + .seconds(60)
        let socket = try #require(try listener.accept { runner.isRunning && ContinuousClock.now < deadline })
        let hello = try #require(try socket.receive())
        #expect(hello.kind == .hello)
        #expect(try hello.decode(RunnerHello.self).pid == runner.processIdentifier, "readiness is a frame")
        let image = directory.appendingPathComponent("gen/libDevApp-1.so").path
        try socket.send(Frame(.load, stream: 5, json: LoadCommand(generation: 99, appImage: image, depsHash: "000000000000")))
        let reply = try #require(try socket.receive())
        #expect(reply.kind == .loaded && reply.stream == 5)
        let outcome = try reply.decode(LoadReply.self).outcome
        guard case .refused(let reason) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(reason.contains("000000000000"))
        #expect(try await dev.http.send("GET", "/").text == "marker=v0", "the session keeps serving")
        await dev.stop()
    }

    @Test func importOfAModuleNoDependencyProvidesIsACompileError() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/") { $0 == "marker=v0" }
        let events = try EventStreamReader(port: dev.port)
        #expect(await events.waitFor("event: hello") != nil)
        try DevFixture.edit { "import NoSuchModule\n" + $0 }
        let stream = await events.waitFor("event: error")
        #expect(stream?.contains("NoSuchModule") == true)
        #expect(try await dev.http.send("GET", "/").text == "marker=v0")
        await dev.stop()
    }

    @Test func secondStartReusesTheCachedDepsImage() async throws {
        let first = try await DevServerProcess.start()
        let hash = try await first.depsHash()
        await first.stop()
        let image = DevFixture.directory.appendingPathComponent(".rw/deps/libRwDeps-\(hash).so").path
        let modified = try FileManager.default.attributesOfItem(atPath: image)[.modificationDate] as? Date
        let second = try await DevServerProcess.start()
        #expect(try await second.depsHash() == hash)
        let again = try FileManager.default.attributesOfItem(atPath: image)[.modificationDate] as? Date
        #expect(modified == again, "the cached deps image was not linked again")
        await second.stop()
    }
}
