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
        #expect(counter.text == "v1 kept=2 global=1", "defineRwState state came through the re-optimization")
        // A deps layer was added: Atomics and RwSDK were not loaded again.
        let kept = try await dev.http.send("GET", "/identity").text
        #expect(kept == identity.replacingOccurrences(of: "count=1", with: "count=2"),
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
        let socketPrefix = "rw-runner-\(dev.child.process.processIdentifier)-"
        let socketName = try #require(
            try FileManager.default.contentsOfDirectory(atPath: "/tmp").first { $0.hasPrefix(socketPrefix) })
        let image = DevFixture.directory.appendingPathComponent(".rw/gen/libDevApp-1.so").path
        let socket = try UnixSocket.connect(to: "/tmp/" + socketName)
        let reply = try socket.exchange(
            try Frame(.load, json: LoadCommand(generation: 99, appImage: image, depsHash: "000000000000")))
        let result = try reply.decode(LoadResult.self)
        #expect(!result.ok)
        #expect(result.error?.contains("refused") == true)
        #expect(result.error?.contains("000000000000") == true)
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
