import Foundation
import PostgresTestSupport
import Testing

/// The guestbook playground as deployed (the `rw build` binary and `public/`), on SQLite and on
/// PostgreSQL: the visitor's checks of ``GuestbookPlaygroundTests`` by HTTP and in headless
/// Chromium, against a new database each.
///
/// The time limit counts the wait for ``ReleaseBuilds``.
@Suite(.serialized, .timeLimit(.minutes(60)))
struct GuestbookProductionTests {
    @Test func productionOnSQLiteCreatesItsDatabaseAndServesAVisitor() async throws {
        try await GuestbookRelease.build()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-guestbook-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, address) = try await GuestbookRelease.start(database: nil, in: folder)
        do {
            try await GuestbookPlaygroundTests.checkTheApp(HTTP(base: address))
            #expect(
                FileManager.default.fileExists(atPath: folder.appendingPathComponent("db.sqlite").path),
                "SQLite is the default: db.sqlite in the folder the server started in")
            try await GuestbookPlaygroundTests.checkInTheBrowser(address)
        } catch {
            Issue.record(error)
        }
        _ = await server.stop()
    }

    @Test func productionOnPostgreSQLServesAVisitor() async throws {
        try await GuestbookRelease.build()
        let cluster = try await PostgresCluster.start()
        do {
            let (server, address) = try await GuestbookRelease.start(database: cluster.url)
            do {
                try await GuestbookPlaygroundTests.checkTheApp(HTTP(base: address))
                #expect(try await cluster.psql("SELECT count(*) FROM messages") == "12", "the posts are in PostgreSQL")
                try await GuestbookPlaygroundTests.checkInTheBrowser(address)
            } catch {
                Issue.record(error)
            }
            _ = await server.stop()
        } catch {
            Issue.record(error)
        }
        await cluster.stop()
    }

    /// Depending on RwSDK with `traits: []`, the guestbook's production build plan compiles
    /// SQLite's driver and no PostgreSQL driver, NIOSSL or its BoringSSL; with the PostgreSQL
    /// trait (the default) it compiles them. SwiftPM is asked for the plan only (its job graph),
    /// in the release builds' scratch folder, so nothing is resolved or compiled anew.
    @Test(arguments: [[String](), ["PostgreSQL"]])
    func theReleasePlanCompilesPostgreSQLOnlyWithItsTrait(traits: [String]) async throws {
        let variant = Paths.root.appendingPathComponent(".build/guestbook-traits")
        let files = FileManager.default
        try files.createDirectory(at: variant, withIntermediateDirectories: true)
        for name in ["Sources", "public"] where !files.fileExists(atPath: variant.appendingPathComponent(name).path) {
            try files.createSymbolicLink(at: variant.appendingPathComponent(name), withDestinationURL: GuestbookRelease.playground.appendingPathComponent(name))
        }
        let list = traits.map { "\"\($0)\"" }.joined(separator: ", ")
        let manifest = try String(contentsOf: GuestbookRelease.playground.appendingPathComponent("Package.swift"), encoding: .utf8)
            .replacingOccurrences(of: "swift-tools-version: 6.0", with: "swift-tools-version: 6.1")
            .replacingOccurrences(
                of: #".package(name: "RwSDK", path: "../..")"#, with: #".package(name: "RwSDK", path: "\#(Paths.root.path)", traits: [\#(list)])"#)
        try #require(manifest.contains("traits: ["))
        try manifest.write(to: variant.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        let plan = try await ReleaseBuilds.exclusively {
            try await CapturedRun.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "swift", "build", "--package-path", variant.path, "--scratch-path", Paths.releaseScratch.path, "-c", "release",
                    "--static-swift-stdlib", "--product", "guestbook", "--print-manifest-job-graph"
                ])
        }
        try #require(plan.status == 0, "\(plan)")
        // The graph holds every target of every package; what the executable is linked from is
        // what leads to it.
        let linked = Self.inputs(of: "/release/guestbook", inJobGraph: plan.output)
        let modules = Set(linked.compactMap { $0.firstMatch(of: /\/(\w+)\.build\//).map { String($0.1) } })
        #expect(modules.contains("SQLiteNIO") && modules.contains("RwData"), "\(modules.sorted())")
        for module in ["PostgresNIO", "NIOSSL", "CNIOBoringSSL"] {
            #expect(modules.contains(module) == !traits.isEmpty, "\(module) compiled for the guestbook with traits \(traits)")
        }
    }

    /// Every node of a Graphviz job graph (SwiftPM's `--print-manifest-job-graph`) from which an
    /// edge path leads to the node whose path ends with `suffix`.
    static func inputs(of suffix: String, inJobGraph graph: String) -> Set<String> {
        var sources: [String: [String]] = [:]
        for line in graph.split(separator: "\n") {
            guard let edge = line.firstMatch(of: /"([^"]+)" -> "([^"]+)"/) else { continue }
            sources[String(edge.2), default: []].append(String(edge.1))
        }
        var seen = Set(sources.keys.filter { $0.hasSuffix(suffix) })
        var pending = Array(seen)
        while let node = pending.popLast() {
            for source in sources[node] ?? [] where seen.insert(source).inserted { pending.append(source) }
        }
        return seen
    }
}
