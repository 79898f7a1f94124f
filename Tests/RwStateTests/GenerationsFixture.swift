import Foundation
import RwSubprocess

/// Three generations of one small app module, compiled with `swiftc` against RwState's own
/// sources and loaded one after the other into one host process, the way `rw dev` loads app
/// images into its runner. Each generation prints what it finds in RwState.
///
/// The module is compiled once per test run (one `swiftc` for RwState, one per generation, one
/// for the host) and run once; the tests read its output.
enum GenerationsFixture {
    /// What the host printed, parsed.
    struct Output: Sendable {
        /// `"<generation>|<name>"` → the value the generation reported.
        let reports: [String: String]
        /// Warnings RwState gave, in order, each with the generation that caused it.
        let warnings: [(generation: Int, message: String)]
        /// The host's whole output, for failure messages.
        let transcript: String

        func value(_ generation: Int, _ name: String) -> String? {
            reports["\(generation)|\(name)"]
        }

        func warnings(in generation: Int) -> [String] {
            warnings.filter { $0.generation == generation }.map(\.message)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The host's output, built and run on first use. The compilers and the host run on a
    /// thread of their own, so waiting for them holds no thread of the test's task pool.
    static let output: Task<Result<Output, Failure>, Never> = Task {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(
                    returning: Result { try buildAndRun() }.mapError { $0 as? Failure ?? Failure(description: "\($0)") })
            }.start()
        }
    }

    private static func buildAndRun() throws -> Output {
        let swiftc = try findSwiftc()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("rwstate-generations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let stateSources = try sources(in: packageRoot.appendingPathComponent("Sources/RwState"))
        try run(
            swiftc,
            [
                "-emit-library", "-parse-as-library", "-module-name", "RwState", "-package-name", "RwSDK",
                "-emit-module-path", work.appendingPathComponent("RwState.swiftmodule").path,
                "-o", work.appendingPathComponent("libRwState.so").path, "-Xlinker", "-soname=libRwState.so"
            ] + stateSources, in: work)

        let app = work.appendingPathComponent("app.swift")
        try appSource.write(to: app, atomically: true, encoding: .utf8)
        // Named and placed as `rw dev` names reloaded images, so that `ReloadedGlobals` carries
        // their globals over.
        try FileManager.default.createDirectory(at: work.appendingPathComponent("gen"), withIntermediateDirectories: true)
        for generation in 1...3 {
            try run(
                swiftc,
                [
                    "-emit-library", "-parse-as-library", "-module-name", "App", "-D", "GEN\(generation)",
                    app.path, "-I", work.path, "-L", work.path, "-lRwState",
                    "-Xlinker", "-rpath", "-Xlinker", work.path,
                    "-o", work.appendingPathComponent("gen/libApp-\(generation).so").path
                ], in: work)
        }
        let host = work.appendingPathComponent("host.swift")
        try hostSource.write(to: host, atomically: true, encoding: .utf8)
        try run(
            swiftc,
            [
                host.path, "-I", work.path, "-L", work.path, "-lRwState", "-Xlinker", "-rpath", "-Xlinker", work.path,
                "-o", work.appendingPathComponent("host").path
            ], in: work)

        let transcript = try run(work.appendingPathComponent("host").path, [work.path], in: work)
        var reports: [String: String] = [:]
        var warnings: [(Int, String)] = []
        var generation = 0
        for line in transcript.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 2).map(String.init)
            if parts.count == 2, parts[0] == "loaded" { generation = Int(parts[1]) ?? 0 }
            if parts.count == 2, parts[0] == "warning" { warnings.append((generation, parts[1])) }
            if parts.count == 3, parts[0] == "globals" { reports["\(generation)|globals.\(parts[1])"] = parts[2] }
            if parts.count == 3 { reports["\(parts[0])|\(parts[1])"] = parts[2] }
        }
        return Output(reports: reports, warnings: warnings, transcript: transcript)
    }

    private static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func sources(in directory: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw Failure(description: "cannot list \(directory.path)")
        }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.map(\.path).sorted()
    }

    private static func findSwiftc() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/swiftc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Failure(description: "swiftc is not on PATH (\(path))")
    }

    /// Runs `executable` to its end through the one subprocess layer; its standard output, or a
    /// failure with both streams.
    @discardableResult
    private static func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> String {
        do {
            return try Subprocess.capture([executable] + arguments, in: directory)
        } catch let failure as SubprocessError {
            throw Failure(description: failure.description)
        }
    }

    /// Loads each generation's library in turn (never unloading one), carries its globals over
    /// as the dev runner does (printing what became of them), and calls its entry points.
    static let hostSource = #"""
        import Glibc
        import RwState

        setvbuf(stdout, nil, _IOLBF, 0)
        let directory = CommandLine.arguments[1]
        func call(_ library: UnsafeMutableRawPointer, _ name: String) {
            guard let symbol = dlsym(library, name) else { fatalError("no \(name)") }
            unsafeBitCast(symbol, to: (@convention(c) () -> Void).self)()
        }
        // What `rw dev` would pass: `generation`'s initializer changes in every generation, and
        // generation 3 changes `signingKey`'s.
        let reinitialize = [
            2: ["App.generation": "initializer changed"],
            3: ["App.generation": "initializer changed", "App.signingKey": "initializer changed"],
        ]
        for (generation, entries) in [(1, ["rw_run", "rw_hammer_start"]), (2, ["rw_run", "rw_hammer_join"]), (3, ["rw_run", "rw_hammer_finish"])] {
            let before = ReloadedGlobals.loadedImages()
            guard let library = dlopen("\(directory)/gen/libApp-\(generation).so", RTLD_NOW | RTLD_LOCAL) else {
                fatalError(String(cString: dlerror()))
            }
            let globals = ReloadedGlobals.carry(
                loadedSince: before, in: "\(directory)/gen", reinitialize: reinitialize[generation] ?? [:])
            print("loaded|\(generation)")
            print("globals|kept|\(globals.kept.sorted().joined(separator: ","))")
            print("globals|lazy|\(globals.lazy.sorted().joined(separator: ","))")
            print("globals|reset|\(globals.reset.map { "\($0.name): \($0.reason)\($0.losesState ? " (lost)" : "")" }.sorted().joined(separator: "; "))")
            for entry in entries { call(library, entry) }
        }
        """#

    /// The app module; `-D GEN1`, `GEN2` or `GEN3` selects the generation.
    static let appSource = #"""
        import Foundation
        import RwState
        import Synchronization

        #if GEN1
        let generation = 1
        #elseif GEN2
        let generation = 2
        #else
        let generation = 3
        #endif

        // MARK: Adopted in every generation (same layout; method bodies change, gen 3 adds one)

        actor Visits {
            var hits = 0
            var runs = 0
            var stopped = false
            var names: [String] = []
            func hit() -> Int { hits += 1; return hits }
            func visit() -> Int { runs += 1; names.append("gen \(generation)"); return runs }
            func stop() { stopped = true }
            func isStopped() -> Bool { stopped }
            func total() -> Int { hits + runs }
            func label() -> String { "visits code of gen \(generation)" }
            #if GEN3
            func visitors() -> String { names.joined(separator: ",") }
            #endif
        }

        final class Guarded: Sendable {
            let count = Mutex<Int>(0)
            let created: Int
            init() { created = generation }
            func bump() -> Int { count.withLock { $0 += 1; return $0 } }
            func label() -> String { "guarded code of gen \(generation), created by gen \(created)" }
        }

        struct Point: Sendable { var x: Int; var y: Int }
        struct Inner: Sendable { var point: Point; var count: Int }
        struct Outer: Sendable {
            var inner: Inner
            var tag: String
            func label() -> String { "outer code of gen \(generation)" }
        }

        struct Tally<Key: Hashable & Sendable>: Sendable {
            var counts: [Key: Int] = [:]
            var total = 0
        }
        struct Wrapper<Value: Sendable>: Sendable { var value: Value; var hits: Int }
        final class Cell<Value: Sendable>: @unchecked Sendable {
            var value: Value
            init(_ value: Value) { self.value = value }
        }

        class Plain: @unchecked Sendable {
            var n = 0
            func bump() -> Int { n += 1; return n }
            func label() -> String { "plain code of gen \(generation)" }
        }
        #if GEN3
        extension Plain {
            func twice() -> Int { n * 2 }
        }
        #endif

        enum Phase: Sendable {
            case idle
            case running(step: Int, note: String)
            case done(Point)
        }

        // MARK: Layouts that change between generation 1 and 2

        #if GEN1
        final class Audit: @unchecked Sendable { var entries = 0 }
        struct Removal: Sendable { var kept = 0; var dropped = 0 }
        struct Order: Sendable { var first = 0; var second = "" }
        struct Measure: Sendable { var n: Int = 0 }
        final class Rooted: @unchecked Sendable { var v = 0 }
        struct Profile: Codable, Sendable { var name = "" }
        enum Mode: Sendable { case off, on }
        enum Level: Sendable { case none, some(level: Int) }
        actor Shifted {
            var n = 0
            func a() -> Int { n += 1; return n }
        }
        #else
        final class Audit: @unchecked Sendable { var entries = 0; var auditTrail: [String] = [] }
        struct Removal: Sendable { var kept = 0 }
        struct Order: Sendable { var second = ""; var first = 0 }
        struct Measure: Sendable { var n: Double = 0 }
        class Root: @unchecked Sendable {}
        final class Rooted: Root, @unchecked Sendable { var v = 0 }
        struct Profile: Codable, Sendable { var name = ""; var age: Int? }
        enum Mode: Sendable { case off, on, auto }
        enum Level: Sendable { case none, some(level: Double) }
        actor Shifted {
            var n = 0
            func inserted() -> String { "gen \(generation)" }
            func a() -> Int { n += 1; return n }
        }
        #endif
        struct Item: Sendable, Hashable { var name: String; var count: Int }
        struct Tag: Sendable, Hashable { var label: String }
        /// Containers of app structs inside an adopted actor: kept as they are.
        actor Shelf {
            var items: [Item] = []
            var byName: [String: Item] = [:]
            var tags: Set<Tag> = []
            var featured: Item?
            var nested: [[Item]] = []
            func stock() -> String {
                items.append(Item(name: "gen \(generation)", count: generation))
                byName["gen \(generation)", default: Item(name: "", count: 0)].count += generation
                byName["gen 1"]?.count += 10
                tags.insert(Tag(label: "t\(generation)"))
                featured = featured.map { Item(name: $0.name, count: $0.count + 1) } ?? Item(name: "first", count: 0)
                nested.append(items)
                let names = items.map(\.name).joined(separator: ",")
                let counts = byName.keys.sorted().map { "\($0)=\(byName[$0]!.count)" }.joined(separator: ",")
                let labels = tags.map(\.label).sorted().joined(separator: ",")
                return "\(names) \(counts) \(labels) \(featured!.count) \(nested.map(\.count))"
            }
        }
        class Animal: @unchecked Sendable { var legs = 4 }
        final class Dog: Animal, @unchecked Sendable { var barks = 0 }
        struct Note: Codable, Sendable { var text: String }
        final class Box: @unchecked Sendable { var v = 0 }
        struct Holder: @unchecked Sendable { var box: Box }

        // MARK: Globals and static properties, kept across generations by `ReloadedGlobals`

        final class HitCache: @unchecked Sendable { var hits = 0 }
        actor GlobalCounter {
            var n = 0
            func bump() -> Int { n += 1; return n }
        }
        enum Caches { static let shared = HitCache() }
        nonisolated(unsafe) var globalCount = 0
        nonisolated(unsafe) var globalNames: [String] = []
        let globalCounter = GlobalCounter()
        let globalCache = HitCache()
        let signingKey = HitCache()
        let globalClosure: @Sendable () -> String = { "closure of gen \(generation)" }
        nonisolated(unsafe) var lazyRuns = 0
        let lazyGlobal: Int = { lazyRuns += 1; return 42 }()
        #if GEN1
        nonisolated(unsafe) var retyped = 1
        struct Settings: Sendable { var a = 0 }
        #else
        nonisolated(unsafe) var retyped = 1.5
        struct Settings: Sendable { var a = 0; var b = 0 }
        #endif
        nonisolated(unsafe) var globalPoint = Point(x: 0, y: 0)
        nonisolated(unsafe) var settings = Settings()
        nonisolated(unsafe) var points: [Point] = []
        nonisolated(unsafe) var pointsByName: [String: Point] = [:]
        nonisolated(unsafe) var maybePoint: Point?
        nonisolated(unsafe) var boxes: [Box] = []
        nonisolated(unsafe) var anything: any Sendable = 0
        let globalLock = Mutex<Int>(0)

        func reportGlobals() async {
            globalCount += 1
            globalNames.append("\(generation)")
            globalCache.hits += 1
            Caches.shared.hits += 1
            signingKey.hits += 1
            report("global.count", globalCount)
            report("global.names", globalNames.joined(separator: ","))
            report("global.actor", await globalCounter.bump())
            report("global.actor.id", ObjectIdentifier(globalCounter))
            report("global.cache", "\(globalCache.hits) \(ObjectIdentifier(globalCache))")
            report("global.static", "\(Caches.shared.hits) \(ObjectIdentifier(Caches.shared))")
            report("global.signingKey", signingKey.hits)
            report("global.closure", globalClosure())
            report("global.retyped", retyped)
            globalPoint.x += 1
            settings.a += 1
            points.append(Point(x: generation, y: 0))
            anything = (anything as? Int ?? -100) + 1
            report("global.point", globalPoint.x)
            report("global.settings", settings.a)
            report("global.points", points.count)
            pointsByName["p\(generation)"] = Point(x: generation, y: generation)
            maybePoint = Point(x: (maybePoint?.x ?? 0) + 1, y: 0)
            boxes.append(Box())
            report("global.pointsByName", pointsByName.keys.sorted().joined(separator: ","))
            report("global.maybePoint", maybePoint!.x)
            report("global.boxes", boxes.count)
            report("global.anything", anything)
            report("global.lock", globalLock.withLock { $0 += 1; return $0 })
            if generation == 3 { report("global.lazy", "\(lazyGlobal) \(lazyRuns)") }
        }

        // MARK: Entry points

        func report(_ name: String, _ value: Any) { print("\(generation)|\(name)|\(value)") }

        func blockOn(_ body: @escaping @Sendable () async -> Void) {
            let done = DispatchSemaphore(value: 0)
            Task { await body(); done.signal() }
            done.wait()
        }

        /// Polls `condition` (one actor hop per try) until it holds or 60 s pass.
        func waitUntil(_ condition: () async -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if await condition() { return true }
                await Task.yield()
            }
            return false
        }

        @_cdecl("rw_run") public func rw_run() {
            StateRegistry.shared.onWarning { print("warning|\($0)") }
            blockOn { await run() }
        }

        func run() async {
            await reportGlobals()
            let visits = defineRwState("visits") { Visits() }
            report("visits.id", ObjectIdentifier(visits))
            report("visits.runs", await visits.visit())
            report("visits.label", await visits.label())
            #if GEN3
            report("visits.visitors", await visits.visitors())
            #endif

            let guarded = defineRwState("guarded") { Guarded() }
            report("guarded.id", ObjectIdentifier(guarded))
            report("guarded.count", guarded.bump())
            report("guarded.label", guarded.label())

            let outer = updateRwState("outer", initializer: { Outer(inner: Inner(point: Point(x: 0, y: 7), count: 0), tag: "") }) {
                $0.inner.count += 1; $0.inner.point.x += 10; $0.tag += "\(generation)"; return $0
            }
            report("outer", "\(outer.inner.count) \(outer.inner.point.x) \(outer.inner.point.y) \(outer.tag)")
            report("outer.label", outer.label())

            let tally = updateRwState("tally", initializer: { Tally<String>() }) {
                $0.counts["gen \(generation)", default: 0] += 1; $0.total += 1; return $0
            }
            report("tally", "\(tally.total) \(tally.counts.keys.sorted().joined(separator: ","))")
            let wrapper = updateRwState("wrapper", initializer: { Wrapper(value: Point(x: 1, y: 2), hits: 0) }) {
                $0.hits += 1; $0.value.y += 1; return $0
            }
            report("wrapper", "\(wrapper.hits) \(wrapper.value.y)")
            let cell = defineRwState("cell") { Cell(0) }
            cell.value += 5
            report("cell.id", ObjectIdentifier(cell))
            report("cell", cell.value)

            let plain = defineRwState("plain") { Plain() }
            report("plain.id", ObjectIdentifier(plain))
            report("plain", "\(plain.bump()) \(plain.label())")
            #if GEN3
            report("plain.twice", plain.twice())
            #endif
            report("shifted", await defineRwState("shifted") { Shifted() }.a())

            let phase = updateRwState("phase", initializer: { Phase.idle }) { phase -> String in
                switch phase {
                case .idle: phase = .running(step: 1, note: "\(generation)")
                case .running(let step, let note): phase = .running(step: step + 1, note: note + "\(generation)")
                case .done: break
                }
                return "\(phase)"
            }
            report("phase", phase)

            let audit = defineRwState("audit") { Audit() }
            audit.entries += 1
            report("audit", audit.entries)
            let removal = updateRwState("removal", initializer: { Removal() }) { $0.kept += 1; return $0.kept }
            report("removal", removal)
            let order = updateRwState("order", initializer: { Order() }) { $0.first += 1; return $0.first }
            report("order", order)
            let measure = updateRwState("measure", initializer: { Measure() }) { $0.n += 1; return $0.n }
            report("measure", measure)
            let rooted = defineRwState("rooted") { Rooted() }
            rooted.v += 1
            report("rooted", rooted.v)
            let profile = updateRwState("profile", initializer: { Profile() }) { $0.name += "\(generation)"; return $0.name }
            report("profile", profile)
            let mode = updateRwState("mode", initializer: { Mode.off }) { mode -> String in
                if case .off = mode { mode = .on; return "fresh" }
                return "kept"
            }
            report("mode", mode)
            let level = updateRwState("level", initializer: { Level.none }) { level -> String in
                if case .none = level { level = .some(level: 1); return "fresh" }
                return "kept"
            }
            report("level", level)
            let notes = updateRwState("notes", initializer: { [Note]() }) {
                $0.append(Note(text: "\(generation)")); return $0.map(\.text).joined()
            }
            report("notes", notes)
            let shelf = defineRwState("shelf") { Shelf() }
            report("shelf.id", ObjectIdentifier(shelf))
            report("shelf", await shelf.stock())
            let animal = defineRwState("animal") { Dog() as Animal }
            animal.legs += 1
            report("animal", animal.legs)
            let holder = defineRwState("holder") { Holder(box: Box()) }
            holder.box.v += 1
            report("holder", holder.box.v)
        }

        /// Generation 1 starts four tasks that hit the actor until it is stopped.
        @_cdecl("rw_hammer_start") public func rw_hammer_start() {
            blockOn {
                let visits = defineRwState("visits") { Visits() }
                // Bounded: should generation 3 not reach this actor, the test fails instead of hanging.
                let deadline = ContinuousClock.now + .seconds(120)
                let tasks = (0..<4).map { _ in
                    Task<Int, Never>.detached {
                        var mine = 0
                        while !(await visits.isStopped()) && ContinuousClock.now < deadline { _ = await visits.hit(); mine += 1 }
                        return mine
                    }
                }
                setRwState("hammer", tasks)
                report("hammer.started", await waitUntil { await visits.total() > 1000 })
            }
        }

        /// Generation 2 adopted the actor while generation 1's tasks hit it; it checks they go on,
        /// and adds four tasks of its own.
        @_cdecl("rw_hammer_join") public func rw_hammer_join() {
            blockOn {
                let visits = defineRwState("visits") { Visits() }
                let seen = await visits.total()
                report("hammer.continued", await waitUntil { await visits.total() > seen + 1000 })
                let mine = (0..<4).map { _ in
                    Task<Int, Never>.detached {
                        for _ in 0..<2000 { _ = await visits.hit() }
                        return 2000
                    }
                }
                updateRwState("hammer", initializer: { [Task<Int, Never>]() }) { $0 += mine }
            }
        }

        /// Generation 3 stops the tasks and checks that no hit was lost.
        @_cdecl("rw_hammer_finish") public func rw_hammer_finish() {
            blockOn {
                let visits = defineRwState("visits") { Visits() }
                await visits.stop()
                var counted = 0
                for task in getRwState("hammer", as: [Task<Int, Never>].self) ?? [] { counted += await task.value }
                report("hammer.tasks", getRwState("hammer", as: [Task<Int, Never>].self)?.count ?? 0)
                report("hammer.counted", counted)
                report("hammer.hits", await visits.hit() - 1)
                report("hammer.id", ObjectIdentifier(visits))
            }
        }
        """#
}
