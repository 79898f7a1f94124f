import Foundation
import RwSDK
import RwSubprocess
import RwWire
import Synchronization

/// The state of one `rw dev` session: the deps image, the runner, the serving generation and
/// the reload history. Reloads run one at a time, in order, on the session's job loop; the
/// ``RunnerSupervisor`` restarts a crashed runner and reports it as events the session follows;
/// requests read the session concurrently.
///
/// It orchestrates: ``DevPolicy`` decides (when a save reloads, when the deps image is
/// re-optimized, which globals initialize anew), ``DevReport`` says it in the terminal, and the
/// session owns the package description, handing the current one to the builders.
final class DevSession: Sendable {
    enum Job: Sendable {
        case reload
    }

    private struct Shared {
        var package: DevPackage
        var dependencies: DependencyMap
        var deps: DepsImage
        var serving: AppImage?
        var lastFailure: BuildFailure?
        var history: [GenerationRecord] = []
        var nextGeneration = 1
        var pendingFiles: [String] = []
        /// Dependency targets SwiftPM compiled in the background since the session started.
        var precompiled: Set<String> = []
        /// The global and static variable declarations of the serving generation's sources.
        var globalDeclarations: GlobalDeclarations?
        /// What became of the globals at the serving generation's load.
        var globalsReport = GlobalsReport()
        /// The record the next session may start from, as this one started or recorded it.
        var warmRecord: WarmStartRecord?
        /// How the session started (warm or cold, and why), for the inspector.
        var startLine: String
    }

    let terminal: Terminal
    let gate = Gate()
    let liveReload = LiveReload()
    private let builder: AppImageBuilder
    /// A deps builder for the package as the session knows it now (Package.swift may have
    /// changed its path dependencies, whose sources decide when SwiftPM's plan is stale).
    private var depsBuilder: DepsImageBuilder {
        DepsImageBuilder(package: shared.withLock { $0.package }, terminal: terminal)
    }
    private let shared: Mutex<Shared>
    private let jobs: AsyncStream<Job>.Continuation
    private let jobStream: AsyncStream<Job>
    /// Runs the runner process: loads, requests, crash recovery.
    let runner: RunnerSupervisor
    /// The package each time a reload reads Package.swift anew (its targets or path
    /// dependencies may have changed), for the owner to watch what it now holds.
    let packages: AsyncStream<DevPackage>
    private let packageChanges: AsyncStream<DevPackage>.Continuation
    /// The gate's hold while the runner restarts after a crash.
    private let restartHold = Mutex<Gate.Token?>(nil)

    /// Starts a session for the package of `plan`: scans the app's imports; reuses the last
    /// session's deps image, `libRwState.so` and runner when `plan` says they are still valid and
    /// the deps image holds every module the app imports (no SwiftPM run), otherwise builds them
    /// (the runner from the runner sources of the RwSDK the app depends on) and records them for
    /// the next session. Handlers must answer within `requestTimeout` (`nil`: no limit).
    init(plan: StartPlan, terminal: Terminal, requestTimeout: Duration? = nil) async throws {
        let package = plan.package
        self.terminal = terminal
        self.builder = AppImageBuilder(cacheDirectory: package.cacheDirectory)
        var steps = plan.steps
        var clock = DispatchTime.now()
        func lap(_ name: String) {
            let now = DispatchTime.now()
            steps.append((name, Double(now.uptimeNanoseconds - clock.uptimeNanoseconds) / 1e6))
            clock = now
        }
        let dependencies = try await DependencyMap.of(package)
        lap("dependency map")
        guard let sdk = dependencies.sdkDirectory else {
            throw RwError("the app package does not depend on the RwSDK package (no dependency provides the RwSDK and RwState products)")
        }
        let roots = try Self.depsRoots(package, dependencies)
        lap("imports")
        let deps: DepsImage
        let runnerExecutable: URL
        var record: WarmStartRecord?
        let startLine: String
        let missing = plan.warm.map { warm in roots.filter { !warm.deps.modules.contains($0) } } ?? []
        if let warm = plan.warm, missing.isEmpty {
            (deps, runnerExecutable, record) = (warm.deps, warm.runner, warm)
            let timing = steps.map { "\($0.0) \(Int($0.1.rounded()))" }.joined(separator: ", ")
            startLine = "warm start: nothing SwiftPM builds changed since the last session, no SwiftPM run (\(timing) ms)"
            terminal.report(.warmStart(startLine: startLine, depsHash: deps.hash))
        } else {
            let reason = missing.isEmpty ? plan.coldReason : "the app imports \(missing.joined(separator: ", ")), which the last session's deps image lacks"
            startLine = "cold start: SwiftPM builds the dependencies" + (reason.map { " (\($0))" } ?? "")
            if let reason { terminal.report(.coldStart(reason: reason)) }
            WarmStartRecord.remove(from: package.cacheDirectory)
            let depsBuilder = DepsImageBuilder(package: package, terminal: terminal)
            let manifest = try await depsBuilder.compile(targets: dependencies.targets(for: roots), replanning: true)
            let state = try await StateLibrary.link(from: manifest, into: depsBuilder.stateDirectory)
            (deps, _) = try await depsBuilder.link(roots: roots, from: manifest, onto: nil)
            terminal.report(.depsImageBuilt(hash: deps.hash, modules: deps.modules.sorted()))
            runnerExecutable = try await RunnerExecutable.build(
                sdk: sdk, state: state, stateObjects: manifest.modules["RwState"]?.objects ?? [],
                modules: deps.modulesDirectory, folder: depsBuilder.stateDirectory)
            // Recorded only when nothing changed while SwiftPM built: the next session must never
            // take artifacts built from other inputs for current ones.
            if (try? plan.currentFingerprint()) == plan.fingerprint {
                let files = WarmStartRecord.artifactFiles(deps: deps, runner: runnerExecutable, manifest: manifest)
                if let stamp = try? StableHash.fingerprint(files) {
                    let made = WarmStartRecord(
                        fingerprint: plan.fingerprint, target: plan.target,
                        description: plan.description, deps: deps, runner: runnerExecutable, artifactFiles: files, artifacts: stamp)
                    if (try? made.save(in: package.cacheDirectory)) != nil { record = made }
                }
            }
        }
        shared = Mutex(Shared(package: package, dependencies: dependencies, deps: deps, warmRecord: record, startLine: startLine))
        runner = try RunnerSupervisor(executable: runnerExecutable, requestTimeout: requestTimeout, terminal: terminal)
        (jobStream, jobs) = AsyncStream.makeStream(of: Job.self)
        (packages, packageChanges) = AsyncStream.makeStream(of: DevPackage.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The deps image currently serving.
    var deps: DepsImage { shared.withLock { $0.deps } }

    /// The modules a deps image for the app's current sources must hold: RwSDK and every
    /// imported module a declared dependency provides, sorted.
    static func depsRoots(_ package: DevPackage, _ dependencies: DependencyMap) throws -> [String] {
        let imports = try ImportScanner.modules(inFiles: package.sources())
        return ["RwSDK"] + dependencies.provided(imports).subtracting(["RwSDK", "RwState"]).sorted()
    }

    /// Starts the runner and builds and loads the first generation.
    func start() async throws {
        try builder.clean()
        try await runner.start()
        Task { [self] in
            for await event in runner.events { await runnerEvent(event) }
        }
        await reload(trigger: "start")
    }

    /// Compiles, in the background, the declared dependencies the app does not import yet, so
    /// that a later import re-optimizes by linking instead of compiling. Cancel to stop.
    func precompileDeclaredDependencies() async {
        let (package, dependencies, deps, record) = shared.withLock { ($0.package, $0.dependencies, $0.deps, $0.warmRecord) }
        // Targets the last session precompiled with the same inputs are compiled already.
        let done = Set(record?.precompiled ?? [])
        let pending = Set(dependencies.targetForModule.filter { !deps.modules.contains($0.key) }.values).subtracting(done).sorted()
        guard !pending.isEmpty else { return }
        for target in pending where !Task.isCancelled {
            let result = try? await Subprocess.run(["swift", "build", "--package-path", package.directory.path, "--target", target])
            if result?.succeeded == true { shared.withLock { _ = $0.precompiled.insert(target) } }
            if let result {
                terminal.report(.precompiled(target: target, milliseconds: result.milliseconds, succeeded: result.succeeded))
            }
        }
        // Noted for the next session, unless what SwiftPM builds from changed meanwhile (the
        // record is then stale and the next session runs SwiftPM anyway).
        let precompiled = shared.withLock { $0.precompiled }
        guard var record, !Task.isCancelled,
            (try? StartPlan.fingerprint(of: package)) == record.fingerprint,
            WarmStartRecord.load(from: package.cacheDirectory) == record
        else { return }
        record.precompiled = done.union(precompiled).sorted()
        try? record.save(in: package.cacheDirectory)
    }

    /// Runs reloads in order until the task is cancelled.
    func runJobs() async {
        for await job in jobStream {
            switch job {
            case .reload:
                let (files, package) = shared.withLock { shared -> ([String], DevPackage) in
                    defer { shared.pendingFiles = [] }
                    return (shared.pendingFiles, shared.package)
                }
                // Saves made while a build ran were coalesced into this one reload.
                guard let trigger = DevPolicy.reloadTrigger(files: files) else { continue }
                await reload(trigger: trigger, cause: ReloadCause(files: files, package: package))
            }
        }
    }

    /// Records saved files and schedules a reload.
    func filesChanged(_ files: [String]) {
        shared.withLock { shared in
            for file in files where !shared.pendingFiles.contains(file) { shared.pendingFiles.append(file) }
        }
        jobs.yield(.reload)
    }

    /// Builds and loads the next generation; on failure the serving generation stays.
    func reload(trigger: String, cause: ReloadCause = ReloadCause()) async {
        let generation = shared.withLock { shared -> Int in
            defer { shared.nextGeneration += 1 }
            return shared.nextGeneration
        }
        let started = Date()
        let hold = gate.close(.building(generation: generation))
        let loaded = await buildAndLoad(generation, started: started, trigger: trigger, cause: cause)
        gate.open(hold)
        if loaded { await liveReload.update(generation: generation) }
    }

    /// Tells open pages that the public file at `path` (a URL path such as `/styles.css`)
    /// changed: they apply it in place, with no build.
    func publicFileChanged(_ path: String) async {
        let directory = shared.withLock { $0.package.directory.appendingPathComponent("public").path }
        guard let fingerprint = AssetFingerprints.currentFingerprint(of: path, in: directory) else { return }
        terminal.report(.publicFileApplied(path: path))
        await liveReload.assetChanged(path: path, url: "\(path)?v=\(fingerprint)")
    }

    /// Whether files were saved since the current reload took its files: a reload is queued.
    private var savedAgain: Bool { shared.withLock { !$0.pendingFiles.isEmpty } }

    /// The global and static declarations of every local target of `package`, as saved now.
    private static func declarations(of package: DevPackage) -> GlobalDeclarations {
        GlobalDeclarations.scan(package.targets.map { ($0.moduleName, (try? $0.sources()) ?? []) })
    }

    /// Builds and loads one generation behind the closed gate; `true` when it is serving.
    private func buildAndLoad(_ generation: Int, started: Date, trigger: String, cause: ReloadCause) async -> Bool {
        let built: Result<AppImage, BuildFailure>
        var deps = self.deps
        // The global declarations as the build starts: what the compiler reads is this or a later
        // save (a save during the build queues another reload).
        let declaredBefore = Self.declarations(of: shared.withLock { $0.package })
        do {
            deps = try await reoptimizeIfNeeded(current: deps, cause: cause)
            built = try await builder.build(
                generation: generation, of: shared.withLock { $0.package }, deps: deps, changedFiles: cause.files)
        } catch {
            built = .failure(BuildFailure(diagnostics: "\(error)", buildMilliseconds: Date().timeIntervalSince(started) * 1000))
        }
        switch built {
        case .failure(let failure):
            // A save made during the build may have caused the failure (swiftc refuses an input
            // modified while it compiles); the next reload, already queued, decides.
            let superseded = savedAgain
            record(generation, started, trigger, failure.buildMilliseconds, 0, .buildFailed, deps.hash) {
                if !superseded { $0.lastFailure = failure }
            }
            if superseded {
                terminal.report(.superseded(generation: generation, trigger: trigger, step: .build))
                return false
            }
            let serving = shared.withLock { $0.serving != nil }
            terminal.report(
                .buildFailed(
                    generation: generation, trigger: trigger, milliseconds: failure.buildMilliseconds, serving: serving,
                    diagnostics: failure.diagnostics))
            await liveReload.error(title: "Build failed: generation \(generation) (\(trigger))", message: failure.diagnostics)
            if let diskFull = failure.diskFull { buildAgain(cause.files, onceThereIsRoom: diskFull) }
            return false
        case .success(let image):
            // Globals whose declaration changed since the serving generation initialize anew. The
            // compiler read the sources at some moment between the two scans, so a declaration
            // changed in either initializes anew; the scan before the build is the one kept, so a
            // save during the build is compared again by the reload it queued.
            let (package, earlier) = shared.withLock { ($0.package, $0.globalDeclarations) }
            let declaredAfter = Self.declarations(of: package)
            let reinitialize = DevPolicy.reinitialize(before: declaredBefore, after: declaredAfter, earlier: earlier)
            let loaded = await runner.load(image, depsHash: deps.hash, reinitialize: reinitialize)
            if let message = loaded.outcome.failure {
                record(generation, started, trigger, image.buildMilliseconds, loaded.loadMilliseconds, .loadFailed, deps.hash) { _ in }
                // swiftc may have read a file while it was being saved again and compiled what it
                // saw (an image missing a symbol); the next reload, already queued, decides.
                if savedAgain {
                    terminal.report(.superseded(generation: generation, trigger: trigger, step: .load))
                    return false
                }
                terminal.report(.loadFailed(generation: generation, trigger: trigger, message: message))
                await liveReload.error(title: "Load failed: generation \(generation)", message: message)
                return false
            }
            record(generation, started, trigger, image.buildMilliseconds, loaded.loadMilliseconds, .serving, deps.hash, image.steps) {
                $0.serving = image
                $0.globalDeclarations = declaredBefore
                $0.globalsReport = loaded.globals
                $0.deps = deps
                $0.lastFailure = nil
            }
            terminal.report(
                .reloaded(
                    generation: generation, trigger: trigger, buildMilliseconds: image.buildMilliseconds, steps: image.steps,
                    loadMilliseconds: loaded.loadMilliseconds, globals: loaded.globals))
            return true
        }
    }

    /// Queues a reload of `files` (every source when `nil`) once the folder a build found full
    /// has room again, unless a build succeeded meanwhile.
    private func buildAgain(_ files: [String]?, onceThereIsRoom diskFull: DiskFull) {
        let files = files ?? shared.withLock { ((try? $0.package.sources()) ?? []).map(\.path) }
        Task { [self] in
            guard await diskFull.waitForRoom(), shared.withLock({ $0.lastFailure?.diskFull != nil }) else { return }
            filesChanged(files)
        }
    }

    /// Follows the runner supervisor's reports: a crash holds requests at the gate until the
    /// runner is back, and is told in the terminal, the open pages' overlay and the history.
    private func runnerEvent(_ event: RunnerEvent) async {
        switch event {
        case .crashed(let crash):
            let hold = gate.close(.restartingRunner)
            restartHold.withLock { $0 = hold }
            terminal.report(.runner(event))
            await liveReload.error(
                title: "The runner crashed (\(crash.reason))",
                message: "rw dev restarted it and reloaded the last good generation; state kept with defineRwState was lost.\n\n"
                    + crash.detail)
        case .restarted(let crash, let generation, let reply):
            if let generation, let reply, let image = shared.withLock({ $0.serving }) {
                let failure = reply.outcome.failure
                record(
                    generation, Date(), "runner crash (\(crash.reason))", 0, reply.loadMilliseconds,
                    failure == nil ? .runnerRestarted : .loadFailed, image.depsHash
                ) { _ in }
                terminal.report(.runner(event))
                if failure == nil {
                    await liveReload.reload(
                        reason: "the runner restarted after a crash (\(crash.reason)); state kept with defineRwState was lost")
                }
            }
            restartHold.withLock { $0.take() }.map(gate.open)
        case .restartFailed:
            terminal.report(.runner(event))
            restartHold.withLock { $0.take() }.map(gate.open)
        case .unresponsive:
            terminal.report(.runner(event))
        }
    }

    /// Answers a request with the serving generation (with `refusal`, as the app answers that
    /// error), or says why not.
    func forward(_ request: RwRequest, refusal: RefusedRequest? = nil) async -> ForwardOutcome {
        let (serving, failure) = shared.withLock { ($0.serving, $0.lastFailure) }
        guard serving != nil else { return .notCompiled(diagnostics: failure?.diagnostics) }
        let outcome = await runner.forward(request, refusal: refusal)
        if case .timedOut(let timedOut) = outcome {
            terminal.report(.requestTimedOut(method: request.method, path: request.path, seconds: timedOut.seconds))
        }
        return outcome
    }

    /// The inspector's view of the session.
    func snapshot() async -> StateInspector.Snapshot {
        let listing = (try? await runner.stateListing()) ?? StateListing(entries: [], globals: [])
        return shared.withLock {
            StateInspector.Snapshot(
                entries: listing.entries, globals: listing.globals.map { [report = $0.globalsReport] in StateInspector.Global($0, at: report) },
                generations: $0.history, currentGeneration: $0.serving?.generation, depsHash: $0.deps.hash, heldBy: gate.reason,
                channels: listing.channels ?? [],
                start: $0.startLine)
        }
    }

    /// Returns `current`, or a new deps image when the app now imports a module `current` lacks
    /// or Package.swift changed (re-optimization). Throws when the new image cannot be built.
    private func reoptimizeIfNeeded(current: DepsImage, cause: ReloadCause) async throws -> DepsImage {
        var (package, dependencies) = shared.withLock { ($0.package, $0.dependencies) }
        var dependenciesChanged = false
        if cause.packageChanged {
            let previous = package
            package = try DevPackage(path: package.directory.path, target: package.appTarget)
            dependenciesChanged = DevPolicy.dependenciesChanged(from: previous, to: package)
            if dependenciesChanged { dependencies = try await DependencyMap.of(package) }
            shared.withLock {
                $0.package = package
                $0.dependencies = dependencies
            }
            packageChanges.yield(package)
        }
        let roots = try Self.depsRoots(package, dependencies)
        // A newly imported module precompiled in the background needs no SwiftPM run: nothing it
        // is built from changed since (a path dependency's edit or Package.swift compiles).
        guard
            let plan = DevPolicy.reoptimization(
                roots: roots, modules: Set(current.modules), dependenciesChanged: dependenciesChanged,
                dependencyFiles: cause.dependencyFiles, precompiled: shared.withLock { $0.precompiled }, dependencies: dependencies)
        else { return current }
        let finish = terminal.progress(of: .reoptimizing(reason: plan.reason, from: current.hash))
        do {
            let manifest = try await depsBuilder.compile(targets: plan.targets, compiling: plan.compiling, replanning: plan.replanning)
            let (deps, change) = try await depsBuilder.link(roots: roots, from: manifest, onto: current)
            finish(.reoptimized(reason: plan.reason, from: current.hash, to: deps.hash, change: change))
            return deps
        } catch {
            finish(.reoptimized(reason: plan.reason, from: current.hash, to: current.hash, change: nil))
            throw error
        }
    }

    private func record(
        _ number: Int, _ started: Date, _ trigger: String, _ build: Double, _ load: Double,
        _ outcome: GenerationRecord.Outcome, _ depsHash: String, _ steps: [BuildStep] = [], _ update: (inout Shared) -> Void
    ) {
        shared.withLock { shared in
            shared.history.append(
                GenerationRecord(
                    number: number, startedAt: started, trigger: trigger, buildMilliseconds: build,
                    loadMilliseconds: load, depsHash: depsHash, outcome: outcome, steps: steps))
            update(&shared)
        }
    }
}
