import Foundation
import RwState
import RwWire

/// What a dev session tells the developer, as typed events; ``DevReport/lines`` turns each into
/// the terminal's lines, and ``Terminal/report(_:)`` prints them.
enum DevReport: Sendable, Equatable {
    /// `rw dev` starts on the package in `folder`, for its app target.
    case sessionStarted(folder: String, appTarget: String)
    /// The front listens on `host`, which other machines can reach.
    case exposed(host: String)
    /// The front listens at `host`:`port`.
    case listening(host: String, port: Int)
    /// A folder or file Package.swift now names could not be watched.
    case watchFailed(String)
    /// SwiftPM compiles these dependency targets (a progress line).
    case compilingDependencies(targets: [String])
    /// A deps layer is linked with these modules (a progress line).
    case linkingLayer(hash: String, modules: [String])
    /// The session reuses the last one's artifacts: how it started (``startLine``) and the deps image.
    case warmStart(startLine: String, depsHash: String)
    /// SwiftPM runs at start, for this reason.
    case coldStart(reason: String)
    /// The deps image built at a cold start, with its modules.
    case depsImageBuilt(hash: String, modules: [String])
    /// A declared dependency compiled in the background (told with `--verbose` only).
    case precompiled(target: String, milliseconds: Double, succeeded: Bool)
    /// A public file changed, applied in open pages with no build.
    case publicFileApplied(path: String)
    /// A build or load failed while files were saved again: the queued reload decides.
    case superseded(generation: Int, trigger: String, step: SupersededStep)
    /// A build failed; `serving` says whether an earlier generation still serves.
    case buildFailed(generation: Int, trigger: String, milliseconds: Double, serving: Bool, diagnostics: String)
    /// A built image did not load.
    case loadFailed(generation: Int, trigger: String, message: String)
    /// A generation serves: its build steps, load time and what became of the globals.
    case reloaded(
        generation: Int, trigger: String, buildMilliseconds: Double, steps: [BuildStep], loadMilliseconds: Double,
        globals: GlobalsReport)
    /// The runner said what happened to it.
    case runner(RunnerEvent)
    /// A restarted runner could not load the serving generation again.
    case reloadAfterRestartFailed(generation: Int, message: String)
    /// A request's handler did not answer within the request timeout and was cancelled.
    case requestTimedOut(method: RequestMethod, path: String, seconds: Double)
    /// The deps image is re-optimized, for this reason, from the image `from`.
    case reoptimizing(reason: String, from: String)
    /// How a re-optimization ended (`nil` change: it failed).
    case reoptimized(reason: String, from: String, to: String, change: DepsImageBuilder.Change?)

    /// Which step of a reload a new save overtook.
    enum SupersededStep: String, Sendable {
        case build, load
    }

    /// How a line looks.
    enum Style: Sendable, Equatable {
        /// Plain, on standard output.
        case info
        /// Green, on standard output (reloads, the local URL).
        case success
        /// Red, on standard error.
        case error
        /// Yellow, on standard error.
        case warning
    }

    /// One terminal line (or block) of a report.
    struct Line: Sendable, Equatable {
        let style: Style
        let text: String

        init(_ style: Style, _ text: String) {
            self.style = style
            self.text = text
        }
    }

    /// The lines that tell this event, in order (none for a `--verbose` only event when
    /// `verbose` is off, and for a restart that had nothing to load again).
    func lines(verbose: Bool = false) -> [Line] {
        switch self {
        case .sessionStarted(let folder, let appTarget):
            return [Line(.info, "rw dev · \(folder) · app target \(appTarget)")]
        case .exposed(let host):
            return [Line(.warning, "⚠ listening on \(host): anyone who can reach this machine can use the dev server")]
        case .listening(let host, let port):
            return [Line(.success, "➜ listening on http://\(host):\(port)/  (state: \(RwPaths.state))")]
        case .watchFailed(let error):
            return [Line(.error, "✗ \(error)")]
        case .compilingDependencies(let targets):
            return [Line(.info, "compiling dependencies (\(targets.joined(separator: ", "))) with SwiftPM")]
        case .linkingLayer(let hash, let modules):
            return [Line(.info, "linking deps layer \(hash) (\(modules.sorted().joined(separator: ", ")))")]
        case .warmStart(let startLine, let depsHash):
            return [Line(.success, "⚡ \(startLine); reusing deps image \(depsHash), libRwState.so and the runner")]
        case .coldStart(let reason):
            return [Line(.info, "SwiftPM runs: \(reason)")]
        case .depsImageBuilt(let hash, let modules):
            return [Line(.info, "deps image \(hash) · \(modules.sorted().joined(separator: ", "))")]
        case .precompiled(let target, let milliseconds, let succeeded):
            guard verbose else { return [] }
            return [Line(.info, "precompiled \(target) in \(Int(milliseconds)) ms\(succeeded ? "" : " (failed)")")]
        case .publicFileApplied(let path):
            return [Line(.success, "↻ public \(path) · applied in open pages")]
        case .superseded(let generation, let trigger, let step):
            return [Line(.info, "… gen \(generation) · \(trigger) · \(step.rawValue) failed while files were saved again; building again")]
        case .buildFailed(let generation, let trigger, let milliseconds, let serving, let diagnostics):
            let consequence =
                serving ? "still serving the last good generation" : "nothing to serve yet: requests get this error until a build succeeds"
            return [Line(.error, "✗ gen \(generation) · \(trigger) · build failed in \(Int(milliseconds)) ms; \(consequence)\n\(diagnostics)")]
        case .loadFailed(let generation, let trigger, let message):
            return [Line(.error, "✗ gen \(generation) · \(trigger) · load failed: \(message)")]
        case .reloaded(let generation, let trigger, let build, let steps, let load, let globals):
            let stepsText = steps.map { "\($0.kind) \($0.module) \(Int($0.milliseconds))" }.joined(separator: ", ")
            return [
                Line(
                    .success,
                    "↻ gen \(generation) · \(trigger) · build \(Int(build)) ms (\(stepsText)) · load \(Int(load)) ms"
                        + GlobalsSummary.line(globals))
            ] + globals.reset.filter(\.losesState).map { Line(.warning, GlobalsSummary.warning($0)) }
        case .runner(.crashed(let crash)):
            return [Line(.error, "✗ the runner crashed (\(crash.reason)); restarting it. State kept with defineRwState was lost.")]
        case .runner(.restarted(_, let generation?, let reply?)) where reply.outcome.failure == nil:
            return [Line(.success, "↻ runner restarted · gen \(generation) reloaded in \(Int(reply.loadMilliseconds)) ms")]
        case .runner(.restarted(_, let generation?, let reply?)):
            return DevReport.reloadAfterRestartFailed(generation: generation, message: reply.outcome.failure ?? "").lines()
        case .runner(.restarted):
            return []
        case .runner(.restartFailed(let error)):
            return [Line(.error, "✗ could not restart the runner: \(error)")]
        case .runner(.unresponsive(let method, let path, let seconds)):
            return [Line(.error, "✗ the runner did not answer \(method) \(path) within \(seconds) s; killing it")]
        case .reloadAfterRestartFailed(let generation, let message):
            return [Line(.error, "✗ could not reload gen \(generation): \(message)")]
        case .requestTimedOut(let method, let path, let seconds):
            return [Line(.error, "✗ \(method) \(path) did not answer within \(seconds.secondsText) s (--request-timeout); cancelled")]
        case .reoptimizing(let reason, let from):
            return [Line(.info, "⚡ \(reason) → re-optimizing deps (\(from) → …)")]
        case .reoptimized(let reason, let from, let to, let change):
            switch change {
            case nil:
                return [Line(.error, "⚡ \(reason) → re-optimizing deps failed")]
            case .unchanged?:
                return [Line(.success, "⚡ \(reason) → the deps image is unchanged (\(from))")]
            case .added(let modules)?:
                return [Line(.success, "⚡ \(reason) → deps layer \(to) added (\(modules.sorted().joined(separator: ", ")))")]
            case .rebuilt(let changed)?:
                return [
                    Line(.success, "⚡ \(reason) → new deps stack \(to)"),
                    Line(
                        .warning,
                        "⚠ \(changed.sorted().joined(separator: ", ")) changed, so every package and RwSDK were loaded anew: "
                            + "kept values of their types migrate through Codable or are re-initialized (warnings follow)")
                ]
            }
        }
    }
}

extension Terminal {
    /// Prints the lines of `report`.
    func report(_ report: DevReport) {
        for line in report.lines(verbose: verbose) { show(line) }
    }

    /// Prints `line` in its style.
    func show(_ line: DevReport.Line) {
        switch line.style {
        case .info: info(line.text)
        case .success: success(line.text)
        case .error: error(line.text)
        case .warning: warning(line.text)
        }
    }

    /// Starts a progress line telling `report` (its first line).
    func progress(_ report: DevReport) -> Progress {
        progress(report.lines(verbose: verbose).first?.text ?? "")
    }

    /// Starts the progress line of a re-optimization (`report` is ``DevReport/reoptimizing(reason:from:)``)
    /// and returns what ends it with its ``DevReport/reoptimized(reason:from:to:change:)`` lines.
    func progress(of report: DevReport) -> (DevReport) -> Void {
        let progress = self.progress(report.lines(verbose: verbose).first?.text ?? "")
        return { ending in
            let lines = ending.lines(verbose: verbose)
            guard let first = lines.first else { return progress.finish() }
            progress.finish(failed: first.style == .error, detail: first.text)
            for line in lines.dropFirst() { show(line) }
        }
    }
}
