import Foundation
import RwSDK
import RwWire
import Synchronization

/// Runs the runner process for a dev session: starts it, forwards loads, requests and state
/// listings on its connection, and restarts it when it crashes, loading again the last
/// generation that had loaded.
///
/// It reports what happened to the runner as ``events``; it never calls into its owner and
/// prints nothing itself (only the runner's own output goes to the terminal, line by line). While
/// a crashed runner restarts, requests and loads wait for the new one.
final class RunnerSupervisor: Sendable {
    private struct State {
        var life: RunnerProcess?
        /// Whether `life` is serving (not crashed, not restarting).
        var ready = false
        /// `life` while it is ready and its process runs.
        var serving: RunnerProcess? { ready && life?.isRunning == true ? life : nil }
        /// Why no runner serves, once a restart failed.
        var failure: String?
        var stopping = false
        var waiting: [CheckedContinuation<RunnerProcess?, Never>] = []
        /// The last command that loaded: replayed into a restarted runner.
        var lastLoad: LoadCommand?
    }

    /// How much longer than the request timeout the front waits for the runner's answer.
    static let answerMargin: Duration = .seconds(5)

    /// What happened to the runner, in order. Ends after ``stop()``.
    let events: AsyncStream<RunnerEvent>
    /// How long a handler may take before its request is answered with a timeout (`nil`: no limit).
    let requestTimeout: Duration?
    private let eventSink: AsyncStream<RunnerEvent>.Continuation
    private let executable: URL
    private let socketPath: String
    private let listener: UnixSocket
    private let terminal: Terminal
    private let state = Mutex(State())

    /// A supervisor for the runner `executable`, not started yet; listens on a fresh socket in /tmp.
    init(executable: URL, requestTimeout: Duration?, terminal: Terminal) throws {
        self.executable = executable
        self.requestTimeout = requestTimeout
        self.terminal = terminal
        socketPath = "/tmp/rw-runner-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        listener = try UnixSocket.listen(at: socketPath)
        (events, eventSink) = AsyncStream.makeStream(of: RunnerEvent.self)
    }

    /// The serving runner's process id, if one serves.
    var runnerPID: Int32? { state.withLock { $0.serving?.pid } }

    /// Starts the runner; returns once it is ready.
    func start() async throws {
        let life = try await launch()
        serve(life)
    }

    /// Stops the runner (not reported as a crash) and ends ``events``.
    func stop() {
        let life = state.withLock { state -> RunnerProcess? in
            state.stopping = true
            return state.life
        }
        life?.stop()
        let waiting = state.withLock { state in
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiting { waiter.resume(returning: nil) }
        listener.shutdown()
        unlink(socketPath)
        eventSink.finish()
    }

    /// Loads `image`, compiled against the deps image `depsHash`, as the serving generation;
    /// the globals named in `reinitialize` (their declaration changed) initialize anew.
    func load(_ image: AppImage, depsHash: String, reinitialize: [String: String] = [:]) async -> LoadReply {
        await load(LoadCommand(generation: image.generation, appImage: image.path.path, depsHash: depsHash, reinitialize: reinitialize))
    }

    /// Sends `command`; a runner that cannot be reached gives a ``LoadOutcome/failed(reason:)``.
    func load(_ command: LoadCommand) async -> LoadReply {
        guard let life = await servingLife() else {
            return LoadReply(.failed(reason: "the runner is not running: \(failure)"), loadMilliseconds: 0)
        }
        return await load(command, into: life)
    }

    /// Forwards one request to the serving runner; with `refusal`, one the front refused before
    /// reading its body, for the app to answer as that error.
    func forward(_ request: RwRequest, refusal: RefusedRequest? = nil) async -> ForwardOutcome {
        guard let life = await servingLife() else { return .crashed(nil, cause: failure) }
        let limit = requestTimeout.map { $0 + Self.answerMargin }
        do {
            let answer =
                if let refusal {
                    try await life.client.exchange(.refused, refusal.encoded(), timeout: limit)
                } else {
                    try await life.client.exchange(.request, WireCodec.encode(request), timeout: limit)
                }
            let reply = answer.frame
            switch reply.kind {
            case .response: return .response(try WireCodec.decodeResponse(reply.payload))
            case .streamStart:
                var response = try WireCodec.decodeResponse(reply.payload)
                if let frames = answer.rest { response.stream = life.client.body(of: reply.stream, frames: frames) }
                return .response(response)
            case .timedOut: return .timedOut(try reply.decode(RequestTimedOut.self))
            default: throw WireError.malformed("a \(reply.kind) frame answered a request")
            }
        } catch WireError.timedOut {
            // Only the run this request went to: a restarted runner is not to blame.
            if life.isRunning {
                eventSink.yield(.unresponsive(method: request.method, path: request.path, seconds: limit?.seconds ?? 0))
                life.kill()
            }
            return .unresponsive(seconds: limit?.seconds ?? 0)
        } catch {
            // The run this request went to, even when a new one has started since. Writing a
            // backtrace takes seconds on a busy machine.
            return .crashed(await life.crash(within: .seconds(60)), cause: "\(error)")
        }
    }

    /// Opens a socket in the serving runner for the WebSocket upgrade `request`; `nil` when the
    /// runner refuses it (another origin, an app without channels) or cannot be reached.
    func openSocket(_ request: RwRequest) async -> RunnerSocket? {
        guard let life = await servingLife() else { return nil }
        let limit = requestTimeout.map { $0 + Self.answerMargin }
        guard let answer = try? await life.client.exchange(.socketOpen, WireCodec.encode(request), timeout: limit),
            answer.frame.kind == .socketOpened, let frames = answer.rest
        else { return nil }
        return RunnerSocket(client: life.client, stream: answer.frame.stream, frames: frames)
    }

    /// The serving runner's state registry listing and the globals of its reloaded images.
    func stateListing() async throws -> StateListing {
        guard let life = await servingLife() else { throw RwError(failure) }
        return try await life.client.request(.state, []).decode(StateListing.self)
    }

    private var failure: String {
        state.withLock { $0.failure ?? ($0.stopping ? "rw dev is stopping" : "the runner is not running") }
    }

    private func launch() async throws -> RunnerProcess {
        try await RunnerProcess.launch(
            executable: executable, listener: listener, socketPath: socketPath, requestTimeout: requestTimeout, terminal: terminal)
    }

    private func load(_ command: LoadCommand, into life: RunnerProcess) async -> LoadReply {
        do {
            let reply = try await life.client.request(.load, WireCodec.json(command)).decode(LoadReply.self)
            if reply.outcome == .loaded { state.withLock { $0.lastLoad = command } }
            return reply
        } catch {
            return LoadReply(.failed(reason: "the runner did not answer: \(error)"), loadMilliseconds: 0)
        }
    }

    /// The runner to send to: at once when one serves, after the restart while one restarts,
    /// `nil` when none can.
    ///
    /// A runner whose process has exited is not sent to, even before the task that watches it
    /// exit has started the restart: a request answered with a crash must not let the next one,
    /// or a load, reach the dead runner.
    private func servingLife() async -> RunnerProcess? {
        if let life = state.withLock({ $0.serving }) { return life }
        return await withCheckedContinuation { continuation in
            let life = state.withLock { state -> RunnerProcess?? in
                if let life = state.serving { return .some(life) }
                if state.failure != nil || state.stopping { return .some(nil) }
                state.waiting.append(continuation)
                return .none
            }
            if case .some(let life) = life { continuation.resume(returning: life) }
        }
    }

    /// Makes `life` the serving runner, lets waiting requests through, and watches it.
    private func serve(_ life: RunnerProcess) {
        let waiting = state.withLock { state in
            state.life = life
            state.ready = true
            state.failure = nil
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiting { waiter.resume(returning: life) }
        Task {
            guard case .crashed(let crash) = await life.exit(), !state.withLock({ $0.stopping }) else { return }
            await restart(after: crash)
        }
    }

    private func restart(after crash: RunnerCrash) async {
        let command = state.withLock { state -> LoadCommand? in
            state.ready = false
            return state.lastLoad
        }
        eventSink.yield(.crashed(crash))
        do {
            let life = try await launch()
            let reply = await command.asyncMap { await load($0, into: life) }
            serve(life)
            eventSink.yield(.restarted(after: crash, generation: command?.generation, reply: reply))
        } catch {
            let waiting = state.withLock { state in
                state.failure = "the runner could not be restarted: \(error)"
                defer { state.waiting = [] }
                return state.waiting
            }
            for waiter in waiting { waiter.resume(returning: nil) }
            eventSink.yield(.restartFailed("\(error)"))
        }
    }
}

extension Optional {
    /// `transform` applied to the wrapped value, awaited; `nil` when there is none.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async -> T) async -> T? {
        guard let self else { return nil }
        return await transform(self)
    }
}
