import Foundation
import RwSDK
import RwWire
import Synchronization

/// The state of one `rw dev` session: the deps image, the runner, the serving generation and
/// the reload history. Reloads and runner recoveries run one at a time, in order, on the
/// session's job loop; requests read the session concurrently.
final class DevSession: Sendable {
    enum Job: Sendable {
        case reload
        case recover(RunnerProcess.Crash)
    }

    private struct Shared {
        var serving: AppImage?
        var lastFailure: BuildFailure?
        var history: [GenerationRecord] = []
        var nextGeneration = 1
        var pendingFiles: [String] = []
    }

    let package: DevPackage
    let deps: DepsImage
    let terminal: Terminal
    let gate = Gate()
    let liveReload = LiveReload()
    private let builder: AppImageBuilder
    private let shared = Mutex(Shared())
    private let jobs: AsyncStream<Job>.Continuation
    private let jobStream: AsyncStream<Job>
    private let runnerBox = Mutex<RunnerProcess?>(nil)

    init(package: DevPackage, deps: DepsImage, terminal: Terminal) {
        self.package = package
        self.deps = deps
        self.terminal = terminal
        self.builder = AppImageBuilder(package: package)
        (jobStream, jobs) = AsyncStream.makeStream(of: Job.self)
    }

    /// The runner process serving requests.
    var runner: RunnerProcess {
        runnerBox.withLock { $0! }
    }

    /// Starts the runner and builds and loads the first generation.
    func start() async throws {
        try builder.clean()
        let runner = RunnerProcess(executable: deps.runner, terminal: terminal) { [jobs, gate] crash in
            // Hold new requests from this moment until the runner is back.
            gate.close("restarting the runner")
            jobs.yield(.recover(crash))
        }
        runnerBox.withLock { $0 = runner }
        try await runner.start()
        await reload(trigger: "start")
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
                await reload(trigger: files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "))
            case .recover(let crash):
                await recover(from: crash)
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
    func reload(trigger: String) async {
        let generation = shared.withLock { shared -> Int in
            defer { shared.nextGeneration += 1 }
            return shared.nextGeneration
        }
        let started = Date()
        gate.close("building generation \(generation)")
        let loaded = await buildAndLoad(generation, started: started, trigger: trigger)
        gate.open()
        if loaded { await liveReload.reload() }
    }

    /// Builds and loads one generation behind the closed gate; `true` when it is serving.
    private func buildAndLoad(_ generation: Int, started: Date, trigger: String) async -> Bool {
        let built: Result<AppImage, BuildFailure>
        do {
            built = try await builder.build(generation: generation, deps: deps)
        } catch {
            built = .failure(BuildFailure(diagnostics: "\(error)", buildMilliseconds: 0))
        }
        switch built {
        case .failure(let failure):
            record(generation, started, trigger, failure.buildMilliseconds, 0, .buildFailed) { $0.lastFailure = failure }
            terminal.error("✗ gen \(generation) · \(trigger) · build failed in \(Int(failure.buildMilliseconds)) ms; still serving the last good generation\n\(failure.diagnostics)")
            await liveReload.error(title: "Build failed: generation \(generation) (\(trigger))", message: failure.diagnostics)
            return false
        case .success(let image):
            let loaded: LoadResult
            do {
                loaded = try await runner.load(image, depsHash: deps.hash)
            } catch {
                loaded = LoadResult(ok: false, error: "the runner did not answer: \(error)", loadMilliseconds: 0)
            }
            guard loaded.ok else {
                let message = loaded.error ?? "unknown error"
                record(generation, started, trigger, image.buildMilliseconds, loaded.loadMilliseconds, .loadFailed) { _ in }
                terminal.error("✗ gen \(generation) · \(trigger) · load failed: \(message)")
                await liveReload.error(title: "Load failed: generation \(generation)", message: message)
                return false
            }
            record(generation, started, trigger, image.buildMilliseconds, loaded.loadMilliseconds, .serving) {
                $0.serving = image
                $0.lastFailure = nil
            }
            terminal.success(
                "↻ gen \(generation) · \(trigger) · build \(Int(image.buildMilliseconds)) ms · load \(Int(loaded.loadMilliseconds)) ms")
            return true
        }
    }

    /// Restarts a crashed runner and reloads the last good generation into it.
    func recover(from crash: RunnerProcess.Crash) async {
        gate.close("restarting the runner")
        await restartRunner(after: crash)
        gate.open()
    }

    private func restartRunner(after crash: RunnerProcess.Crash) async {
        terminal.error("✗ the runner crashed (\(crash.reason)); restarting it. State kept with defineRwState was lost.")
        do {
            try await runner.start()
            if let image = shared.withLock({ $0.serving }) {
                let loaded = try await runner.load(image, depsHash: deps.hash)
                if loaded.ok {
                    terminal.success("↻ runner restarted · gen \(image.generation) reloaded in \(Int(loaded.loadMilliseconds)) ms")
                } else {
                    terminal.error("✗ could not reload gen \(image.generation): \(loaded.error ?? "unknown error")")
                }
            }
        } catch {
            terminal.error("✗ could not restart the runner: \(error)")
        }
    }

    /// Answers a request with the serving generation, or with an error page that says why not.
    func forward(_ request: RwRequest) async -> RwResponse {
        let (serving, failure) = shared.withLock { ($0.serving, $0.lastFailure) }
        guard serving != nil else {
            return DevPages.error(
                status: 500, title: "The app has not compiled yet",
                message: "rw dev is waiting for a version of the app that compiles; this page reloads when it does.",
                detail: failure?.diagnostics)
        }
        do {
            return try await runner.forward(request)
        } catch {
            let crash = await runner.crashReport()
            let reason = crash.map { "The runner crashed (\($0.reason)) while handling \(request.method) \(request.path)." }
                ?? "The runner did not answer \(request.method) \(request.path): \(error)."
            return DevPages.error(
                status: 500, title: "The app crashed",
                message: reason + " rw dev restarts it and reloads the last good generation; state kept with defineRwState was lost.",
                detail: crash?.errorTail)
        }
    }

    /// The inspector's view of the session.
    func snapshot() async -> StateInspector.Snapshot {
        let entries = (try? await runner.stateEntries()) ?? []
        return shared.withLock {
            StateInspector.Snapshot(entries: entries, generations: $0.history, currentGeneration: $0.serving?.generation, depsHash: deps.hash)
        }
    }

    private func record(
        _ number: Int, _ started: Date, _ trigger: String, _ build: Double, _ load: Double,
        _ outcome: GenerationRecord.Outcome, _ update: (inout Shared) -> Void
    ) {
        shared.withLock { shared in
            shared.history.append(
                GenerationRecord(
                    number: number, startedAt: started, trigger: trigger, buildMilliseconds: build,
                    loadMilliseconds: load, depsHash: deps.hash, outcome: outcome))
            update(&shared)
        }
    }
}
