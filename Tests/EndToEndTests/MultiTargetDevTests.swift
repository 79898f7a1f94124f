import Foundation
import Synchronization
import Testing

/// `rw dev` on an app of three library targets and about 100 files (``ShopFixture``), started
/// without `--target` from a copy of the `rw` binary outside the checkout: each target's edits
/// are served under load without a failed request while state kept with `updateRwState` goes on;
/// a compile error in the lowest target shows in the overlay while the last good generation
/// serves; a signature change that breaks a caller in another file is a compile error (stale
/// objects do not hide it); renaming and deleting files work; an edit in a package the app depends
/// on by path re-optimizes the deps image; a target added to Package.swift is built and watched.
@Suite(.serialized, .timeLimit(.minutes(30)))
struct MultiTargetDevTests {
    @Test func everyTargetReloadsIncrementallyWithoutFailedRequests() async throws {
        try ShopFixture.reset()
        // A copy of rw outside the checkout: the runner must come from the app's RwSDK.
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("rw-copy-\(getpid())")
        try? FileManager.default.removeItem(at: elsewhere)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let rw = elsewhere.appendingPathComponent("rw")
        try FileManager.default.copyItem(at: Paths.rw, to: rw)

        let server = try await DevServerProcess.start(package: ShopFixture.directory, executable: rw)
        let first = try await server.waitFor("/") { $0.hasPrefix("shop-v0 catalog-v0 book:4 shelf-v0 stock-v0 visits=") }
        #expect(try await server.waitFor("/p/96") { $0.contains("Page 96") }.contains("item 0:6"))
        var visits = try Self.visits(first)
        let calls = try await server.http.send("GET", "/shelf-calls").text
        #expect(calls.hasPrefix("1 "), "\(calls)")

        // Ten edits across the three targets, lowest included, under steady load.
        let tally = LoadTally()
        let load = server.generateLoad(tally, clients: 4) { $0.hasPrefix("shop-v") }
        for edit in 1...10 {
            let expected: String
            switch edit % 3 {
            case 0:
                try ShopFixture.setShop(marker: "shop-v\(edit)")
                expected = "shop-v\(edit) "
            case 1:
                try ShopFixture.setShelf(marker: "shelf-v\(edit)")
                expected = "shelf-v\(edit) "
            default:
                try ShopFixture.setCatalog(marker: "catalog-v\(edit)")
                expected = "catalog-v\(edit) "
            }
            let body = try await server.waitFor("/") { $0.contains(expected) }
            let now = try Self.visits(body)
            #expect(now > visits, "the visit count kept with updateRwState went on (edit \(edit): \(visits) → \(now))")
            visits = now
        }
        tally.stop.store(true, ordering: .relaxed)
        await load.value
        let outcomes = tally.outcomes.withLock { $0 }
        #expect(outcomes.keys.sorted() == ["ok"], "every request under load was answered by a generation: \(outcomes)")
        #expect((outcomes["ok"] ?? 0) > 10)
        // Shelf was rebuilt four times: its global actor is the same, and its count went on.
        let callsAfter = try await server.http.send("GET", "/shelf-calls").text
        #expect(callsAfter == "2 " + calls.dropFirst(2), "\(calls) → \(callsAfter)")
        let servingBefore = try await Self.servingGenerations(server)

        // A compile error in the lowest target: the overlay shows it, the last good generation serves.
        let events = try EventStreamReader(port: server.port)
        try ShopFixture.write("Sources/Shelf/Shelf.swift", "public func shelfMarker() -> String { 42 }\n")
        let overlay = await events.waitFor("event: error")
        #expect(overlay?.contains("Shelf.swift") == true, "the overlay names the broken file")
        #expect(try await server.waitFor("/") { $0.contains("shelf-v10 ") }.contains("shelf-v10 "))
        #expect(try await Self.servingGenerations(server) == servingBefore)

        // Changing price(of:)'s signature breaks Label.swift's call: a compile error even though
        // Label.swift itself did not change.
        try ShopFixture.setShelf(marker: "shelf-fixed")
        try ShopFixture.write("Sources/Shelf/Price.swift", "func price(of title: String, currency: String) -> Int { title.count }\n")
        let failure = await events.waitFor("Label.swift")
        #expect(failure?.contains("currency") == true, "the stale caller is recompiled and fails: \(failure?.suffix(600) ?? "")")
        try ShopFixture.write(
            "Sources/Shelf/Label.swift",
            "public func label(_ title: String) -> String { \"\\(title):\\(price(of: title, currency: \"EUR\"))\" }\n")
        try await server.waitFor("/") { $0.contains("shelf-fixed ") && $0.contains("book:4") }

        // Renaming a file and deleting one.
        try FileManager.default.moveItem(at: ShopFixture.file("Shelf", "Label.swift"), to: ShopFixture.file("Shelf", "Labels.swift"))
        try ShopFixture.setShelf(marker: "shelf-renamed")
        try await server.waitFor("/") { $0.contains("shelf-renamed ") }
        try FileManager.default.removeItem(at: ShopFixture.file("Shelf", "Unused.swift"))
        try ShopFixture.setShelf(marker: "shelf-deleted")
        try await server.waitFor("/") { $0.contains("shelf-deleted ") }

        // A package the app depends on by path is watched: its edit re-optimizes the deps image.
        let depsBefore = try await server.depsHash()
        try ShopFixture.setStock(marker: "stock-v1")
        let last = try await server.waitFor("/") { $0.contains("stock-v1 ") }
        #expect(try await server.depsHash() != depsBefore, "the deps image was rebuilt with the edited package")
        #expect(try Self.visits(last) > visits, "state survived every reload")

        // A target added to Package.swift during the session is compiled, and its folder is
        // watched from then on.
        try ShopFixture.addBadgeTarget(marker: "badge-v0")
        try await server.waitFor("/") { $0.contains(" badge-v0 visits=") }
        try ShopFixture.setBadge(marker: "badge-v1")
        let badged = try await server.waitFor("/") { $0.contains(" badge-v1 visits=") }
        #expect(try Self.visits(badged) > visits, "state survived the new target")
        await server.stop()
    }

    private static func visits(_ body: String) throws -> Int {
        try #require(body.split(separator: "visits=").last.flatMap { Int($0.prefix { $0.isNumber }) })
    }

    /// The numbers of the generations that served, in order.
    private static func servingGenerations(_ server: DevServerProcess) async throws -> [Int] {
        let records = try await server.state()["generations"] as? [[String: Any]] ?? []
        return records.filter { $0["outcome"] as? String == "serving" }.compactMap { $0["number"] as? Int }
    }
}
