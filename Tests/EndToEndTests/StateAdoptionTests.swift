import Foundation
import Synchronization
import Testing

/// `rw dev` on the dev-app fixture with app objects kept in RwState: an actor holding a
/// 10 000-entry dictionary that four clients change while its own file and another file are
/// saved again and again (every generation adopts the same instance and runs its own code on
/// it), and a final class holding a `Mutex`, kept until a stored property is added. Part of the
/// serialized dev server suite: it edits the same fixture. A long variant (`.longVariant`) makes 20 saves.
extension DevServerTests {

    /// The app file that declares the actor, as saved in `version` (its method bodies print the
    /// version; from version 2 on it has one more method, after the others).
    static func visitLogSource(version: Int) -> String {
        let added =
            version >= 2
            ? """
                func describe() -> String { "\\(entries.count) \\(writes) \\(sum()) code=v\(version)" }
                func sum() -> Int { entries.values.reduce(0, +) }
            """
            : """
                func describe() -> String { "\\(entries.count) \\(writes) \\(entries.values.reduce(0, +)) code=v\(version)" }
            """
        return """
            import RwSDK

            actor VisitLog {
                var entries: [String: Int] = Dictionary(uniqueKeysWithValues: (0..<10_000).map { ("k\\($0)", $0) })
                var writes = 0
                func record(_ key: String) -> Int {
                    entries[key, default: 0] += 1
                    writes += 1
                    return writes
                }
            \(added)
            }

            func visitLog() -> VisitLog { defineRwState("visitLog") { VisitLog() } }

            func recordVisit(_ key: String) async -> String { "recorded \\(await visitLog().record(key))" }

            func visitSummary() async -> String {
                let log = visitLog()
                return "id=\\(ObjectIdentifier(log)) \\(await log.describe())"
            }

            """
    }

    /// Saves App.swift with `marker` and the routes that reach the actor and the final class.
    static func saveApp(marker: String) throws {
        try DevFixture.edit {
            $0.replacingOccurrences(of: #"let marker = "v0""#, with: "let marker = \"\(marker)\"")
                .replacingOccurrences(
                    of: #"route("/") { RwResponse(text: "marker=\(marker)") }"#,
                    with: #"""
                        route("/") { RwResponse(text: "marker=\(marker)") }
                            route("/visits") { RwResponse(text: await visitSummary()) }
                            route("/visits/record/:key") { info in RwResponse(text: await recordVisit(info.params["key"] ?? "")) }
                            route("/ledger") { RwResponse(text: ledgerHit()) }
                            route("/box") { RwResponse(text: boxSummary()) }
                            route("/kinds") { RwResponse(text: kindsSummary(changing: true)) }
                            route("/kinds/peek") { RwResponse(text: kindsSummary(changing: false)) }
                            route("/globals") { RwResponse(text: await globalsSummary(changing: true)) }
                            route("/globals/peek") { RwResponse(text: await globalsSummary(changing: false)) }
                            route("/globals/lazy") { RwResponse(text: lazySummary()) }
                        """#)
        }
    }

    /// The app file that declares a final class guarding its state with a `Mutex`, as saved in
    /// `version`. From version 3 on the class has one more stored property.
    static func ledgerSource(version: Int) -> String {
        """
        import RwSDK
        import Synchronization

        final class Ledger: Sendable {
            let totals = Mutex<[String: Int]>([:])
            \(version >= 3 ? "let auditTrail = Mutex<[String]>([])" : "")
            func add(_ key: String) -> Int { totals.withLock { $0[key, default: 0] += 1; return $0.values.reduce(0, +) } }
            func code() -> String { "v\(version)" }
            \(version >= 2 ? "func describe(_ total: Int) -> String { \"total=\\(total) code=\\(code())\" }" : "")
        }

        func ledgerHit() -> String {
            let ledger = defineRwState("ledger") { Ledger() }
            let total = ledger.add("hits")
            return "id=\\(ObjectIdentifier(ledger)) total=\\(total) code=\\(ledger.code())"
        }

        """
    }

    static func saveLedger(version: Int) throws {
        try ledgerSource(version: version).write(
            to: DevFixture.sourceDirectory.appendingPathComponent("Ledger.swift"), atomically: false, encoding: .utf8)
    }

    static func saveVisitLog(version: Int) throws {
        try visitLogSource(version: version).write(
            to: DevFixture.sourceDirectory.appendingPathComponent("VisitLog.swift"), atomically: false, encoding: .utf8)
    }

    /// The parts of a `/visits` reply.
    struct Summary: Equatable {
        let id: String
        let count: Int
        let writes: Int
        let sum: Int
        let code: String

        init?(_ text: String) {
            let parts = text.split(separator: " ").map(String.init)
            guard parts.count == 5, parts[0].hasPrefix("id="), let count = Int(parts[1]), let writes = Int(parts[2]),
                let sum = Int(parts[3]), parts[4].hasPrefix("code=")
            else { return nil }
            (id, self.count, self.writes, self.sum, code) = (parts[0], count, writes, sum, String(parts[4].dropFirst(5)))
        }
    }

    static let initialSum = (0..<10_000).reduce(0, +)

    /// Saves `Sources/DevApp/<name>`.
    static func save(_ name: String, _ text: String) throws {
        try text.write(to: DevFixture.sourceDirectory.appendingPathComponent(name), atomically: false, encoding: .utf8)
    }

    /// Four clients recording visits to existing keys until `load.stop` is set.
    static func recordVisits(_ dev: DevServerProcess, _ load: LoadTally) -> Task<Void, Never> {
        Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<4 {
                    group.addTask {
                        var index = client
                        while !load.stop.load(ordering: .relaxed) {
                            let outcome: String
                            do {
                                let reply = try await dev.http.send("GET", "/visits/record/k\(index % 10_000)")
                                outcome = reply.status == 200 && reply.text.hasPrefix("recorded ") ? "ok" : "status \(reply.status): \(reply.text.prefix(80))"
                            } catch {
                                outcome = "error \(error)"
                            }
                            load.outcomes.withLock { $0[outcome, default: 0] += 1 }
                            index += 4
                        }
                    }
                }
            }
        }
    }

    /// Starts `rw dev` on the fixture with both state files at version 1, a `/box` that imports
    /// nothing yet, and the routes.
    static func startSession() async throws -> DevServerProcess {
        try DevFixture.reset()
        try saveVisitLog(version: 1)
        try saveLedger(version: 1)
        try save("Box.swift", "func boxSummary() -> String { \"none\" }\n")
        try save("Kinds.swift", kindsSource(version: 1))
        try save("Globals.swift", globalsSource(version: 1))
        try saveApp(marker: "a0")
        return try await DevServerProcess.start(package: DevFixture.directory)
    }

    @Test func appActorKeepsItsIdentityAndContentsAcrossSavesUnderLoad() async throws {
        try await Self.adoptUnderLoad(saves: 10)
    }

    @Test(.tags(.long), .longVariant) func appActorKeepsItsIdentityAndContentsAcross20SavesUnderLoad() async throws {
        try await Self.adoptUnderLoad(saves: 20)
    }

    /// `saves` saves, alternately of the actor's own file and of another file, while four
    /// clients record visits: the same instance throughout, and no visit lost.
    static func adoptUnderLoad(saves: Int) async throws {
        let dev = try await Self.startSession()
        let first = try #require(Summary(try await dev.waitFor("/visits") { Summary($0)?.code == "v1" }))
        #expect(first.count == 10_000)
        #expect(first.sum == Self.initialSum + first.writes)
        let runner = try await dev.waitForRunner()

        let load = LoadTally()
        let clients = Self.recordVisits(dev, load)

        for round in 1...saves {
            if round % 2 == 1 {
                // A save of the actor's own file: new method bodies, and (from v2 on) a method added.
                let version = round / 2 + 2
                try Self.saveVisitLog(version: version)
                try await dev.waitFor("/visits") { Summary($0)?.code == "v\(version)" }
            } else {
                // A save of another file.
                try Self.saveApp(marker: "a\(round)")
                try await dev.waitFor("/") { $0 == "marker=a\(round)" }
            }
            let summary = try #require(Summary(try await dev.http.send("GET", "/visits").text))
            #expect(summary.id == first.id, "round \(round): the same actor instance")
            #expect(summary.count == 10_000)
            #expect(summary.sum == Self.initialSum + summary.writes, "round \(round): no entry lost or reset")
        }

        load.stop.store(true, ordering: .relaxed)
        await clients.value
        let outcomes = load.outcomes.withLock { $0 }
        #expect(outcomes.keys.sorted() == ["ok"], "every request under load succeeded: \(outcomes)")
        let recorded = outcomes["ok"] ?? 0
        let last = try #require(Summary(try await dev.http.send("GET", "/visits").text))
        #expect(last.id == first.id)
        #expect(last.count == 10_000)
        // Every recorded visit is counted once: none lost across the adoptions.
        #expect(last.writes == first.writes + recorded)
        #expect(last.sum == Self.initialSum + last.writes)
        #expect(recorded > saves)
        #expect(dev.runnerPID() == runner, "the runner never crashed")
        let state = try await dev.state()
        let entries = try #require(state["entries"] as? [[String: Any]])
        let entry = try #require(entries.first { $0["key"] as? String == "visitLog" })
        #expect(entry["generation"] as? Int == 1, "the key was defined once, by generation 1")
        await dev.stop()
    }

    /// A final class holding a `Mutex` is kept across saves that change only its methods, and
    /// starts again (with a warning in the terminal) when a stored property is added.
    @Test func finalClassIsKeptUntilAStoredPropertyIsAdded() async throws {
        let dev = try await Self.startSession()
        try await dev.waitFor("/ledger") { $0.hasSuffix("code=v1") }
        let runner = try await dev.waitForRunner()
        let first = try await dev.http.send("GET", "/ledger").text
        let id = try #require(first.split(separator: " ").first.map(String.init))

        // Method bodies change and a method is added: the same object, the total goes on.
        try Self.saveLedger(version: 2)
        let kept = try await dev.waitFor("/ledger") { $0.hasSuffix("code=v2") }
        #expect(kept.hasPrefix("\(id) total="), "\(kept)")
        #expect((kept.split(separator: " ").dropFirst().first.flatMap { Int($0.dropFirst("total=".count)) } ?? 0) >= 3, "\(kept)")

        // A stored property is added: the layout changed, so the key starts again.
        try Self.saveLedger(version: 3)
        let reset = try await dev.waitFor("/ledger") { $0.hasSuffix("code=v3") }
        #expect(!reset.hasPrefix("\(id) "), "a new object")
        #expect(reset.contains(" total=1 "), "\(reset)")
        let newID = try #require(reset.split(separator: " ").first.map(String.init))

        // Methods change again: the new object is kept (requests polled while the build ran
        // reached generation 3 and counted too).
        try Self.saveLedger(version: 4)
        let keptAgain = try await dev.waitFor("/ledger") { $0.hasSuffix("code=v4") }
        #expect(keptAgain.hasPrefix("\(newID) total="), "\(keptAgain)")
        #expect((keptAgain.split(separator: " ").dropFirst().first.flatMap { Int($0.dropFirst("total=".count)) } ?? 0) >= 2, "\(keptAgain)")
        #expect(dev.runnerPID() == runner, "the runner never crashed")
        await dev.stop()
    }

    /// The actor, a ManagedAtomic (swift-atomics), a class of swift-nio (`ConditionLock`)
    /// and RwSDK's own types keep their identity across three re-optimizations under load: each
    /// adds a deps layer, and the instances and type metadata already loaded stay.
    @Test func appActorAndPackageObjectsKeepTheirIdentityAcrossReoptimizations() async throws {
        let dev = try await Self.startSession()
        let first = try #require(Summary(try await dev.waitFor("/visits") { Summary($0)?.code == "v1" }))
        let identity = try await dev.http.send("GET", "/identity").text
        #expect(identity.contains(" count=1 "), "\(identity)")
        let runner = try await dev.waitForRunner()
        let load = LoadTally()
        let clients = Self.recordVisits(dev, load)

        var depsHashes = [try await dev.depsHash()]
        var box: String?
        let imports = [
            (
                "Box.swift",
                """
                import NIOConcurrencyHelpers
                import RwSDK

                func boxSummary() -> String {
                    let box = defineRwState("box") { ConditionLock(value: 0) }
                    let n = box.value + 1  // the test is the only caller
                    box.lock()
                    box.unlock(withValue: n)
                    return "box=\\(ObjectIdentifier(box)) n=\\(n)"
                }

                """
            ),
            ("Chunks.swift", "import Algorithms\n\nfunc chunkCount() -> Int { [1, 2, 3].chunks(ofCount: 2).count }\n"),
            ("Queue.swift", "import DequeModule\n\nfunc queueCount() -> Int { Deque([1, 2, 3]).count }\n")
        ]
        for (round, (file, text)) in imports.enumerated() {
            try Self.save(file, text)
            try Self.saveApp(marker: "r\(round)")
            try await dev.waitFor("/", attempts: 6000) { $0 == "marker=r\(round)" }
            depsHashes.append(try await dev.depsHash())
            #expect(depsHashes.last != depsHashes.dropLast().last, "round \(round): \(file)'s import re-optimized the deps image")

            let summary = try #require(Summary(try await dev.http.send("GET", "/visits").text))
            #expect(summary.id == first.id, "round \(round): the same actor instance")
            #expect(summary.count == 10_000 && summary.sum == Self.initialSum + summary.writes, "round \(round): no entry lost or reset")
            let kept = try await dev.http.send("GET", "/identity").text
            #expect(
                kept == identity.replacingOccurrences(of: " count=1 ", with: " count=\(round + 2) "),
                "round \(round): the ManagedAtomic and RwSDK's metadata are the same: \(identity) → \(kept)")
            let boxed = try await dev.http.send("GET", "/box").text
            let boxID = try #require(boxed.split(separator: " ").first.map(String.init), "\(boxed)")
            #expect(boxID.hasPrefix("box="), "\(boxed)")
            if let box {
                #expect(boxID == box, "round \(round): the ConditionLock kept in state is the same object")
                #expect(boxed.hasSuffix(" n=\(round + 1)"), "round \(round): \(boxed)")
            }
            box = boxID
        }

        load.stop.store(true, ordering: .relaxed)
        await clients.value
        let outcomes = load.outcomes.withLock { $0 }
        #expect(outcomes.keys.sorted() == ["ok"], "every request under load succeeded: \(outcomes)")
        let last = try #require(Summary(try await dev.http.send("GET", "/visits").text))
        #expect(last.id == first.id)
        #expect(last.writes == first.writes + (outcomes["ok"] ?? 0), "every recorded visit counted once")
        #expect(dev.runnerPID() == runner, "the runner never crashed")
        await dev.stop()
        // A layer added on top of the deps stack loads no package again: globals are kept.
        let refused = await dev.child.waitForLine(containing: "the packages were loaded anew")
        #expect(refused == nil, "\(refused ?? "")")
    }

    /// The app file keeping a struct nesting structs, a generic struct and an enum with payloads,
    /// as saved in `version`: each version changes the method bodies; from version 3 on `Shape`
    /// has one more stored property.
    static func kindsSource(version: Int) -> String {
        """
        import RwSDK

        struct Point: Sendable { var x: Int; var y: Int }
        struct Shape: Sendable {
            var origin: Point
            var size: Point
            var name: String
            \(version >= 3 ? "var tag = 0" : "")
        }
        struct Tagged<Value: Sendable>: Sendable { var value: Value; var count: Int }
        enum Phase: Sendable { case idle, running(step: Int, label: String), done(Double) }

        /// The three values, each changed first when `changing`.
        func kindsSummary(changing: Bool) -> String {
            let shape = updateRwState("shape", initializer: { Shape(origin: Point(x: 0, y: 0), size: Point(x: 2, y: 3), name: "square") }) {
                if changing { $0.origin.x += 1 }
                return $0
            }
            let tagged = updateRwState("tagged", initializer: { Tagged(value: [Int](), count: 0) }) {
                if changing {
                    $0.count += 1
                    $0.value.append($0.count)
                }
                return $0
            }
            let phase = updateRwState("phase", initializer: { Phase.idle }) {
                if changing {
                    switch $0 {
                    case .idle: $0 = .running(step: 1, label: "go")
                    case .running(let step, let label): $0 = .running(step: step + 1, label: label)
                    case .done: break
                    }
                }
                return $0
            }
            let phaseText: String
            switch phase {
            case .idle: phaseText = "idle"
            case .running(let step, let label): phaseText = "\\(step)/\\(label)"
            case .done(let value): phaseText = "done \\(value)"
            }
            return "shape=\\(shape.origin.x)/\\(shape.size.y)/\\(shape.name) tagged=\\(tagged.count)/\\(tagged.value.reduce(0, +)) phase=\\(phaseText) code=v\(version)"
        }

        """
    }

    /// A struct nesting structs, a generic struct and an enum with payloads keep their values
    /// across saves of their file; when a stored property is added to the struct, it alone
    /// starts again, and the terminal's warning names the type's change.
    @Test func structsGenericsAndEnumsAreKeptUntilTheirLayoutChanges() async throws {
        let dev = try await Self.startSession()
        // `/kinds/peek` reads without changing, so polling for a version changes nothing.
        #expect(try await dev.waitFor("/kinds/peek") { $0.hasSuffix("code=v1") } == "shape=0/3/square tagged=0/0 phase=idle code=v1")
        #expect(try await dev.http.send("GET", "/kinds").text == "shape=1/3/square tagged=1/1 phase=1/go code=v1")
        let runner = try await dev.waitForRunner()

        try Self.save("Kinds.swift", Self.kindsSource(version: 2))
        #expect(try await dev.waitFor("/kinds/peek") { $0.hasSuffix("code=v2") } == "shape=1/3/square tagged=1/1 phase=1/go code=v2")
        #expect(try await dev.http.send("GET", "/kinds").text == "shape=2/3/square tagged=2/3 phase=2/go code=v2")

        let mark = dev.child.lineCount
        try Self.save("Kinds.swift", Self.kindsSource(version: 3))
        #expect(
            try await dev.waitFor("/kinds/peek") { $0.hasSuffix("code=v3") } == "shape=0/3/square tagged=2/3 phase=2/go code=v3",
            "Shape started again; Tagged<[Int]> and Phase were kept")
        let warning = await dev.child.waitForLine(containing: "key \"shape\"", from: mark)
        #expect(warning?.contains("stored property tag added") == true, "the warning names the change: \(warning ?? "none")")
        #expect(warning?.contains("re-initialized") == true, "\(warning ?? "none")")
        #expect(dev.runnerPID() == runner, "the runner never crashed")
        await dev.stop()
    }

    /// The app file with plain globals and a static property, as saved in `version` (the
    /// closure's text and the summary's code say the version); `signingKey`'s initializer (a
    /// random key of `keyBytes` bytes) is the one a test changes.
    static func globalsSource(version: Int, keyBytes: Int = 4, tallyLabel: Bool = false) -> String {
        """
        import Atomics
        import RwSDK

        nonisolated(unsafe) var globalCount = 0
        actor GlobalTally {
            var n = 0\(tallyLabel ? "\n    var label = \"tally\"" : "")
            func bump() -> Int { n += 1; return n }
            func peek() -> Int { n }
        }
        let globalTally = GlobalTally()
        final class PageCache: @unchecked Sendable { var hits = 0 }
        enum Caches { static let pages = PageCache() }
        let packageCounter = ManagedAtomic<Int>(0)
        let describeCount: @Sendable (Int) -> String = { "closure=v\(version)/\\($0)" }
        let signingKey: [UInt8] = (0..<\(keyBytes)).map { _ in UInt8.random(in: 0...255) }
        nonisolated(unsafe) var lazyRuns = 0
        let lazyValue: Int = { lazyRuns += 1; return 7 }()

        func globalsSummary(changing: Bool) async -> String {
            if changing {
                globalCount += 1
                Caches.pages.hits += 1
                _ = await globalTally.bump()
                packageCounter.wrappingIncrement(ordering: .relaxed)
            }
            let tally = await globalTally.peek()
            return [
                "count=\\(globalCount)", "tally=\\(tally)", "cache=\\(Caches.pages.hits)",
                "atomic=\\(packageCounter.load(ordering: .relaxed))", "key=\\(signingKey.map { String($0, radix: 16) }.joined(separator: ":"))", describeCount(globalCount),
                "ids=\\(ObjectIdentifier(globalTally))/\\(ObjectIdentifier(Caches.pages))/\\(ObjectIdentifier(packageCounter))",
                "code=v\(version)",
            ].joined(separator: " ")
        }

        func lazySummary() -> String { "lazy=\\(lazyValue) runs=\\(lazyRuns)" }

        """
    }

    /// The value of `field=` in a `/globals` reply.
    static func field(_ name: String, in reply: String) -> String? {
        reply.split(separator: " ").first { $0.hasPrefix("\(name)=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// Globals and a static property of the app keep their values and instances across a save
    /// of another file and of their own file (no `defineRwState`); a closure global runs the new
    /// code; a changed initializer resets that global alone, named in the terminal; a global
    /// never used before a save initializes once, after it; the inspector lists them.
    @Test func appGlobalsAndStaticPropertiesKeepTheirValuesAcrossSaves() async throws {
        let dev = try await Self.startSession()
        try await dev.waitFor("/globals/peek") { $0.hasSuffix("code=v1") }
        let runner = try await dev.waitForRunner()
        let first = try await dev.http.send("GET", "/globals").text
        #expect(first.hasPrefix("count=1 tally=1 cache=1 atomic=1 key="), "\(first)")
        let ids = try #require(Self.field("ids", in: first))
        let key = try #require(Self.field("key", in: first))
        #expect(key.split(separator: ":").count == 4)

        // Another file saved: every value goes on, the same instances.
        try Self.saveApp(marker: "g1")
        try await dev.waitFor("/") { $0 == "marker=g1" }
        let afterOther = try await dev.http.send("GET", "/globals").text
        #expect(afterOther == "count=2 tally=2 cache=2 atomic=2 key=\(key) closure=v1/2 ids=\(ids) code=v1", "\(afterOther)")

        // Their own file saved: the same, and the closure runs the new code.
        var mark = dev.child.lineCount
        try Self.save("Globals.swift", Self.globalsSource(version: 2))
        try await dev.waitFor("/globals/peek") { $0.hasSuffix("code=v2") }
        let afterOwn = try await dev.http.send("GET", "/globals").text
        #expect(afterOwn == "count=3 tally=3 cache=3 atomic=3 key=\(key) closure=v2/3 ids=\(ids) code=v2", "\(afterOwn)")
        let reload = await dev.child.waitForLine(containing: "globals:", from: mark)
        #expect(
            reload?.contains("code, run anew (") == true && reload?.contains("describeCount") == true,
            "the reload line names the closure among the globals that hold code: \(reload ?? "none")")
        // Never used before these saves: initialized once, now.
        #expect(try await dev.http.send("GET", "/globals/lazy").text == "lazy=7 runs=1")
        #expect(try await dev.http.send("GET", "/globals/lazy").text == "lazy=7 runs=1")

        // One initializer changed: that global alone starts anew, and the terminal says why.
        mark = dev.child.lineCount
        try Self.save("Globals.swift", Self.globalsSource(version: 3, keyBytes: 8))
        try await dev.waitFor("/globals/peek") { $0.hasSuffix("code=v3") }
        let afterChange = try await dev.http.send("GET", "/globals").text
        #expect(afterChange.hasPrefix("count=4 tally=4 cache=4 atomic=4 key="), "\(afterChange)")
        #expect(afterChange.hasSuffix(" closure=v3/4 ids=\(ids) code=v3"), "\(afterChange)")
        #expect(Self.field("key", in: afterChange)?.split(separator: ":").count == 8, "a new key: \(afterChange)")
        let named = await dev.child.waitForLine(containing: "signingKey: initializer changed", from: mark)
        #expect(named != nil, "the reload line names signingKey's reset")
        #expect(try await dev.http.send("GET", "/globals/lazy").text == "lazy=7 runs=1", "kept after it was used")
        let newKey = try #require(Self.field("key", in: afterChange))

        // A stored property added to the actor: that global alone starts anew, with a warning that
        // names the property; the others go on.
        mark = dev.child.lineCount
        try Self.save("Globals.swift", Self.globalsSource(version: 4, keyBytes: 8, tallyLabel: true))
        try await dev.waitFor("/globals/peek") { $0.hasSuffix("code=v4") }
        let afterLayout = try await dev.http.send("GET", "/globals").text
        #expect(afterLayout.hasPrefix("count=5 tally=1 cache=5 atomic=5 key=\(newKey) closure=v4/5 ids="), "\(afterLayout)")
        #expect(
            Self.field("ids", in: afterLayout)?.split(separator: "/").dropFirst() == ids.split(separator: "/").dropFirst(),
            "the cache and the package object are the same instances: \(afterLayout)")
        let warned = await dev.child.waitForLine(containing: "globalTally initialized anew", from: mark)
        #expect(warned?.contains("label") == true, "the warning names the added property: \(warned ?? "none")")

        let globals = try #require(try await dev.state()["globals"] as? [[String: Any]])
        let count = try #require(globals.first { $0["name"] as? String == "DevApp.globalCount" })
        #expect(count["initialized"] as? Bool == true)
        #expect(count["lastLoad"] as? String == "kept")
        #expect(dev.runnerPID() == runner, "the runner never crashed")
        await dev.stop()
    }
}
