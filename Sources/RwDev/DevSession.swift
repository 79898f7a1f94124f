import Foundation
import RwSDK
import RwWire
import Synchronization

/// The state of one `rw dev` session: the deps image, the runner, the serving generation and
/// the reload history. Reloads run one at a time, in order, on the session's job loop; the
/// ``RunnerSupervisor`` restarts a crashed runner and reports it as events the session follows;
/// requests read the session concurrently.
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
    }

    let terminal: Terminal
    let gate = Gate()
    let liveReload = LiveReload()
    private let builder: AppImageBuilder
    private let depsBuilder: DepsImageBuilder
    private let shared: Mutex<Shared>
    private let jobs: AsyncStream<Job>.Continuation
    private let jobStream: AsyncStream<Job>
    /// Runs the runner process: loads, requests, crash recovery.
    let runner: RunnerSupervisor

    /// Starts a session for `package`: scans the app's imports and builds the first deps
    /// image and the runner. Handlers must answer within `requestTimeout` (`nil`: no limit).
    init(package: DevPackage, terminal: Terminal, requestTimeout: Duration? = nil) async throws {
        self.terminal = terminal
        self.builder = AppImageBuilder(package: package)
        self.depsBuilder = DepsImageBuilder(package: package, terminal: terminal)
        let dependencies = try await DependencyMap(package: package)
        let roots = try Self.depsRoots(package, dependencies)
        let deps = try await depsBuilder.build(
            roots: roots, targets: dependencies.targets(for: roots), linkingSession: true)
        shared = Mutex(Shared(package: package, dependencies: dependencies, deps: deps))
        runner = try RunnerSupervisor(executable: deps.runner, requestTimeout: requestTimeout, terminal: terminal)
        (jobStream, jobs) = AsyncStream.makeStream(of: Job.self)
    }

    /// The deps image currently serving.
    var deps: DepsImage { shared.withLock { $0.deps } }

    /// The modules a deps image for the app's current sources must hold: RwSDK and every
    /// imported module a declared dependency provides, sorted.
    static func depsRoots(_ package: DevPackage, _ dependencies: DependencyMap) throws -> [String] {
        let imports = try ImportScanner.modules(inFiles: package.sources())
        return ["RwSDK"] + dependencies.provided(imports).subtracting(["RwSDK", "RwState"]).sorted()
    }

    private static let restartReason = "restarting the runner"

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
        let (package, dependencies, deps) = shared.withLock { ($0.package, $0.dependencies, $0.deps) }
        let pending = Set(dependencies.targetForModule.filter { !deps.modules.contains($0.key) }.values).sorted()
        for target in pending where !Task.isCancelled {
            let result = try? await Subprocess.run(["swift", "build", "--package-path", package.directory.path, "--target", target])
            if terminal.verbose, let result {
                terminal.info("precompiled \(target) in \(Int(result.milliseconds)) ms\(result.succeeded ? "" : " (failed)")")
            }
        }
    }

    /// Runs reloads and recoveries in order until the task is cancelled.
    func runJobs() async {
        for await job in jobStream {
            switch job {
            case .reload:
                let files = shared.withLock { shared -> [String] in
                    defer { shared.pendingFiles = [] }
                    return shared.pendingFiles
                }
                // Saves made while a build ran were coalesced into this one reload.
                guard !files.isEmpty else { continue }
                await reload(
                    trigger: files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "),
                    packageChanged: files.contains { $0.hasSuffix("/Package.swift") })
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
    func reload(trigger: String, packageChanged: Bool = false) async {
        let generation = shared.withLock { shared -> Int in
            defer { shared.nextGeneration += 1 }
            return shared.nextGeneration
        }
        let started = Date()
        let reason = "building generation \(generation)"
        gate.close(reason)
        let loaded = await buildAndLoad(generation, started: started, trigger: trigger, packageChanged: packageChanged)
        gate.open(reason)
        if loaded { await liveReload.reload() }
    }

    /// Builds and loads one generation behind the closed gate; `true` when it is serving.
    private func buildAndLoad(_ generation: Int, started: Date, trigger: String, packageChanged: Bool) async -> Bool {
        let built: Result<AppImage, BuildFailure>
        var deps = self.deps
        do {
            deps = try await reoptimizeIfNeeded(current: deps, packageChanged: packageChanged)
            built = try await builder.build(generation: generation, deps: deps)
        } catch {
            built = .failure(BuildFailure(diagnostics: "\(error)", buildMilliseconds: Date().timeIntervalSince(started) * 1000))
        }
        switch built {
        case .failure(let failure):
            // A save made during the build may have caused the failure (swiftc refuses an input
            // modified while it compiles); the next reload, already queued, decides.
            let superseded = shared.withLock { !$0.pendingFiles.isEmpty }
            record(generation, started, trigger, failure.buildMilliseconds, 0, .buildFailed, deps.hash) {
                if !superseded { $0.lastFailure = failure }
            }
            if superseded {
                terminal.info("… gen \(generation) · \(trigger) · build failed while files were saved again; building again")
                return false
            }
            terminal.error("✗ gen \(generation) · \(trigger) · build failed in \(Int(failure.buildMilliseconds)) ms; still serving the last good generation\n\(failure.diagnostics)")
            await liveReload.error(title: "Build failed: generation \(generation) (\(trigger))", message: failure.diagnostics)
            return false
        case .success(let image):
            let loaded = await runner.load(image, depsHash: deps.hash)
            if let message = loaded.outcome.failure {
                record(generation, started, trigger, image.buildMilliseconds, loaded.loadMilliseconds, .loadFailed, deps.hash) { _ in }
                terminal.error("✗ gen \(generation) · \(trigger) · load failed: \(message)")
                await liveReload.error(title: "Load failed: generation \(generation)", message: message)
                return false
            }
            record(generation, started, trigger, image.buildMilliseconds, loaded.loadMilliseconds, .serving, deps.hash) {
                $0.serving = image
                $0.deps = deps
                $0.lastFailure = nil
            }
            terminal.success(
                "↻ gen \(generation) · \(trigger) · build \(Int(image.buildMilliseconds)) ms · load \(Int(loaded.loadMilliseconds)) ms")
            return true
        }
    }

    /// Follows the runner supervisor's reports: a crash holds requests at the gate until the
    /// runner is back, and is told in the terminal, the open pages' overlay and the history.
    private func runnerEvent(_ event: RunnerEvent) async {
        switch event {
        case .crashed(let crash):
            gate.close(Self.restartReason)
            terminal.error("✗ the runner crashed (\(crash.reason)); restarting it. State kept with defineRwState was lost.")
            await liveReload.error(
                title: "The runner crashed (\(crash.reason))",
                message: "rw dev restarted it and reloaded the last good generation; state kept with defineRwState was lost.\n\n"
                    + crash.detail)
        case .restarted(let crash, let generation, let reply):
            if let generation, let reply, let image = shared.withLock({ $0.serving }) {
                let failure = reply.outcome.failure
                record(
                    generation, Date(), "runner crash (\(crash.reason))", 0, reply.loadMilliseconds,
                    failure == nil ? .runnerRestarted : .loadFailed, image.depsHash) { _ in }
                if let failure {
                    terminal.error("✗ could not reload gen \(generation): \(failure)")
                } else {
                    terminal.success("↻ runner restarted · gen \(generation) reloaded in \(Int(reply.loadMilliseconds)) ms")
                }
            }
            gate.open(Self.restartReason)
        case .restartFailed(let error):
            terminal.error("✗ could not restart the runner: \(error)")
            gate.open(Self.restartReason)
        }
    }

    /// Answers a request with the serving generation, or says why not.
    func forward(_ request: RwRequest) async -> ForwardOutcome {
        let (serving, failure) = shared.withLock { ($0.serving, $0.lastFailure) }
        guard serving != nil else { return .notCompiled(diagnostics: failure?.diagnostics) }
        let outcome = await runner.forward(request)
        if case .timedOut(let timedOut) = outcome {
            terminal.error("✗ \(request.method) \(request.path) did not answer within \(timedOut.seconds.secondsText) s (--request-timeout); cancelled")
        }
        return outcome
    }

    /// The inspector's view of the session.
    func snapshot() async -> StateInspector.Snapshot {
        let entries = (try? await runner.stateEntries()) ?? []
        return shared.withLock {
            StateInspector.Snapshot(
                entries: entries, generations: $0.history, currentGeneration: $0.serving?.generation, depsHash: $0.deps.hash,
                heldBy: gate.reason)
        }
    }

    /// Returns `current`, or a new deps image when the app now imports a module `current` lacks
    /// or Package.swift changed (re-optimization). Throws when the new image cannot be built.
    private func reoptimizeIfNeeded(current: DepsImage, packageChanged: Bool) async throws -> DepsImage {
        var (package, dependencies) = shared.withLock { ($0.package, $0.dependencies) }
        if packageChanged {
            package = try DevPackage(path: package.directory.path, target: package.appTarget)
            dependencies = try await DependencyMap(package: package)
            shared.withLock {
                $0.package = package
                $0.dependencies = dependencies
            }
        }
        let roots = try Self.depsRoots(package, dependencies)
        let missing = roots.filter { !current.modules.contains($0) }
        guard packageChanged || !missing.isEmpty else { return current }
        let reason = missing.isEmpty ? "Package.swift changed" : "new dependency \(missing.joined(separator: ", "))"
        let progress = terminal.progress("⚡ \(reason) → re-optimizing deps (\(current.hash) → …)")
        do {
            let deps = try await depsBuilder.build(
                roots: roots, targets: dependencies.targets(for: roots), linkingSession: false)
            progress.finish(detail: "⚡ \(reason) → re-optimized deps (\(current.hash) → \(deps.hash))")
            return deps
        } catch {
            progress.finish(failed: true, detail: "⚡ \(reason) → re-optimizing deps failed")
            throw error
        }
    }

    private func record(
        _ number: Int, _ started: Date, _ trigger: String, _ build: Double, _ load: Double,
        _ outcome: GenerationRecord.Outcome, _ depsHash: String, _ update: (inout Shared) -> Void
    ) {
        shared.withLock { shared in
            shared.history.append(
                GenerationRecord(
                    number: number, startedAt: started, trigger: trigger, buildMilliseconds: build,
                    loadMilliseconds: load, depsHash: depsHash, outcome: outcome))
            update(&shared)
        }
    }
}
