import RwState
import RwWire
import Testing

@testable import RwDev

/// The terminal lines of each event a dev session reports.
@Suite struct DevReportTests {
    typealias Line = DevReport.Line

    static let crash = RunnerCrash(cause: .signal(4), detail: "Fatal error")

    @Test func startLines() {
        #expect(
            DevReport.warmStart(startLine: "warm start: no SwiftPM run (imports 3 ms)", depsHash: "ab12").lines() == [
                Line(.success, "⚡ warm start: no SwiftPM run (imports 3 ms); reusing deps image ab12, libRwState.so and the runner")
            ])
        #expect(DevReport.coldStart(reason: "no record").lines() == [Line(.info, "SwiftPM runs: no record")])
        #expect(DevReport.depsImageBuilt(hash: "ab12", modules: ["RwSDK", "Algorithms"]).lines() == [Line(.info, "deps image ab12 · Algorithms, RwSDK")])
    }

    @Test func frontLines() {
        #expect(DevReport.sessionStarted(folder: "shop", appTarget: "App").lines() == [Line(.info, "rw dev · shop · app target App")])
        #expect(
            DevReport.exposed(host: "0.0.0.0").lines() == [
                Line(.warning, "⚠ listening on 0.0.0.0: anyone who can reach this machine can use the dev server")
            ])
        #expect(DevReport.listening(host: "127.0.0.1", port: 5173).lines() == [Line(.success, "➜ listening on http://127.0.0.1:5173/  (state: /_rw/state)")])
        #expect(DevReport.watchFailed("inotify: no space").lines() == [Line(.error, "✗ inotify: no space")])
        #expect(
            DevReport.compilingDependencies(targets: ["Kit", "Algorithms"]).lines() == [
                Line(.info, "compiling dependencies (Kit, Algorithms) with SwiftPM")
            ])
        #expect(DevReport.linkingLayer(hash: "ff", modules: ["Zip", "Kit"]).lines() == [Line(.info, "linking deps layer ff (Kit, Zip)")])
    }

    @Test func precompilingIsToldOnlyWhenVerbose() {
        let event = DevReport.precompiled(target: "Algorithms", milliseconds: 1234.5, succeeded: false)
        #expect(event.lines() == [])
        #expect(event.lines(verbose: true) == [Line(.info, "precompiled Algorithms in 1234 ms (failed)")])
    }

    @Test func reloadLines() {
        #expect(DevReport.publicFileApplied(path: "/app.css").lines() == [Line(.success, "↻ public /app.css · applied in open pages")])
        #expect(
            DevReport.superseded(generation: 4, trigger: "Home.swift", step: .load).lines() == [
                Line(.info, "… gen 4 · Home.swift · load failed while files were saved again; building again")
            ])
        #expect(
            DevReport.buildFailed(generation: 2, trigger: "start", milliseconds: 99.9, serving: false, diagnostics: "error: x").lines() == [
                Line(.error, "✗ gen 2 · start · build failed in 99 ms; nothing to serve yet: requests get this error until a build succeeds\nerror: x")
            ])
        #expect(
            DevReport.buildFailed(generation: 3, trigger: "A.swift", milliseconds: 10, serving: true, diagnostics: "d").lines().first?.text
                == "✗ gen 3 · A.swift · build failed in 10 ms; still serving the last good generation\nd")
        #expect(
            DevReport.loadFailed(generation: 5, trigger: "A.swift", message: "missing symbol").lines() == [
                Line(.error, "✗ gen 5 · A.swift · load failed: missing symbol")
            ])
    }

    @Test func aReloadTellsItsStepsAndWarnsOfEveryLostValue() {
        var globals = GlobalsReport()
        globals.kept = ["App.count"]
        globals.reset = [
            .init(name: "App.key", reason: "initializer changed", losesState: true),
            .init(name: "App.routes", reason: "holds code", losesState: false, holdsCode: true)
        ]
        let lines = DevReport.reloaded(
            generation: 7, trigger: "Home.swift", buildMilliseconds: 812.7,
            steps: [BuildStep(kind: .compile, module: "App", milliseconds: 700.2), BuildStep(kind: .link, module: "App", milliseconds: 90)],
            loadMilliseconds: 12.9, globals: globals
        ).lines()
        #expect(lines.count == 2)
        #expect(lines[0] == Line(.success, "↻ gen 7 · Home.swift · build 812 ms (compile App 700, link App 90) · load 12 ms" + GlobalsSummary.line(globals)))
        #expect(lines[1] == Line(.warning, GlobalsSummary.warning(globals.reset[0])))
    }

    @Test func runnerLines() {
        #expect(
            DevReport.runner(.crashed(Self.crash)).lines() == [
                Line(.error, "✗ the runner crashed (\(Self.crash.reason)); restarting it. State kept with defineRwState was lost.")
            ])
        #expect(
            DevReport.runner(.restarted(after: Self.crash, generation: 3, reply: LoadReply(.loaded, loadMilliseconds: 41.6))).lines() == [
                Line(.success, "↻ runner restarted · gen 3 reloaded in 41 ms")
            ])
        #expect(
            DevReport.runner(.restarted(after: Self.crash, generation: 3, reply: LoadReply(.failed(reason: "gone"), loadMilliseconds: 0))).lines() == [
                Line(.error, "✗ could not reload gen 3: gone")
            ])
        #expect(DevReport.runner(.restarted(after: Self.crash, generation: nil, reply: nil)).lines() == [], "nothing was loaded again")
        #expect(DevReport.runner(.restartFailed("no hello")).lines() == [Line(.error, "✗ could not restart the runner: no hello")])
        #expect(
            DevReport.runner(.unresponsive(method: "GET", path: "/spin", seconds: 35)).lines() == [
                Line(.error, "✗ the runner did not answer GET /spin within 35.0 s; killing it")
            ])
        #expect(
            DevReport.requestTimedOut(method: "POST", path: "/slow", seconds: 2).lines() == [
                Line(.error, "✗ POST /slow did not answer within \(2.0.secondsText) s (--request-timeout); cancelled")
            ])
    }

    @Test func reoptimizationLines() {
        #expect(
            DevReport.reoptimizing(reason: "new dependency Algorithms", from: "aa").lines() == [
                Line(.info, "⚡ new dependency Algorithms → re-optimizing deps (aa → …)")
            ])
        let reason = "Package.swift changed"
        #expect(
            DevReport.reoptimized(reason: reason, from: "aa", to: "aa", change: .unchanged).lines() == [
                Line(.success, "⚡ Package.swift changed → the deps image is unchanged (aa)")
            ])
        #expect(
            DevReport.reoptimized(reason: reason, from: "aa", to: "bb", change: .added(["Zip", "Algorithms"])).lines() == [
                Line(.success, "⚡ Package.swift changed → deps layer bb added (Algorithms, Zip)")
            ])
        let rebuilt = DevReport.reoptimized(reason: reason, from: "aa", to: "cc", change: .rebuilt(changed: ["Kit"])).lines()
        #expect(rebuilt.map(\.style) == [.success, .warning])
        #expect(rebuilt.first?.text == "⚡ Package.swift changed → new deps stack cc")
        #expect(rebuilt.last?.text.hasPrefix("⚠ Kit changed, so every package and RwSDK were loaded anew") == true)
        #expect(
            DevReport.reoptimized(reason: reason, from: "aa", to: "aa", change: nil).lines() == [
                Line(.error, "⚡ Package.swift changed → re-optimizing deps failed")
            ])
    }
}

/// The session's decisions, from its state alone.
@Suite struct DevPolicyTests {
    static let dependencies = DependencyMap(
        productForModule: ["RwSDK": "RwSDK", "Algorithms": "Algorithms", "Kit": "Kit"],
        targetForModule: ["RwSDK": "RwSDK", "Algorithms": "Algorithms", "Kit": "KitTarget"])

    @Test func savesReloadWithTheirNamesAndNoSaveNothing() {
        #expect(DevPolicy.reloadTrigger(files: []) == nil)
        #expect(DevPolicy.reloadTrigger(files: ["/app/Sources/App/Home.swift", "/app/Package.swift"]) == "Home.swift, Package.swift")
    }

    @Test func anImageHoldingEveryRootStays() {
        #expect(
            DevPolicy.reoptimization(
                roots: ["RwSDK", "Kit"], modules: ["RwSDK", "Kit", "KitCore"], dependenciesChanged: false, dependencyFiles: [],
                precompiled: [], dependencies: Self.dependencies) == nil)
    }

    @Test func aNewImportCompilesOnlyItsTargetUnlessPrecompiled() {
        let plan = DevPolicy.reoptimization(
            roots: ["RwSDK", "Algorithms", "Kit"], modules: ["RwSDK", "Kit"], dependenciesChanged: false, dependencyFiles: [],
            precompiled: [], dependencies: Self.dependencies)
        #expect(plan == .init(reason: "new dependency Algorithms", targets: ["Algorithms"], compiling: true, replanning: false))
        let linked = DevPolicy.reoptimization(
            roots: ["RwSDK", "Algorithms"], modules: ["RwSDK"], dependenciesChanged: false, dependencyFiles: [],
            precompiled: ["Algorithms"], dependencies: Self.dependencies)
        #expect(linked == .init(reason: "new dependency Algorithms", targets: ["Algorithms"], compiling: false, replanning: false))
    }

    @Test func changedDependencySourcesReplanAndCompileEveryRoot() {
        let package = DevPolicy.reoptimization(
            roots: ["RwSDK", "Kit"], modules: ["RwSDK", "Kit"], dependenciesChanged: true, dependencyFiles: [],
            precompiled: ["KitTarget", "RwSDK"], dependencies: Self.dependencies)
        #expect(package == .init(reason: "Package.swift changed", targets: ["RwSDK", "KitTarget"], compiling: true, replanning: true))
        let pathDependency = DevPolicy.reoptimization(
            roots: ["RwSDK", "Kit"], modules: ["RwSDK", "Kit"], dependenciesChanged: false, dependencyFiles: ["/kit/Sources/Kit/Kit.swift"],
            precompiled: [], dependencies: Self.dependencies)
        #expect(
            pathDependency
                == .init(
                    reason: "Kit.swift of a package the app depends on by path changed", targets: ["RwSDK", "KitTarget"], compiling: true,
                    replanning: true))
    }

    @Test func globalsChangedBeforeOrAfterTheBuildInitializeAnew() {
        let earlier = GlobalDeclarations(declarations: ["App.a": .init(head: "let a", initializer: "1"), "App.b": .init(head: "let b", initializer: "2")])
        let before = GlobalDeclarations(declarations: ["App.a": .init(head: "let a", initializer: "10"), "App.b": .init(head: "let b", initializer: "2")])
        let after = GlobalDeclarations(declarations: ["App.a": .init(head: "let a", initializer: "10"), "App.b": .init(head: "var b", initializer: "2")])
        #expect(DevPolicy.reinitialize(before: before, after: after, earlier: nil) == [:], "nothing loaded yet: nothing to keep")
        let anew = DevPolicy.reinitialize(before: before, after: after, earlier: earlier)
        #expect(Set(anew.keys) == ["App.a", "App.b"])
        #expect(anew["App.a"] == before.changes(since: earlier)["App.a"], "changed before the build")
        #expect(anew["App.b"] == after.changes(since: earlier)["App.b"], "changed during the build")
    }
}
