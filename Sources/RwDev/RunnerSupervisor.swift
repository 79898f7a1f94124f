import Foundation
import RwSDK
import RwWire
import Synchronization

/// Runs the runner process for a dev session: starts it, forwards loads, requests and state
/// listings on its connection, and restarts it when it crashes, loading again the last
/// generation that had loaded.
///
/// What to do when is decided by a ``RunnerLife``, fed with what happens (a hello, an exit, a
/// replayed load, an unanswered request); the supervisor carries out its actions. It reports what
/// happened to the runner as ``events``; it never calls into its owner and prints nothing itself
/// (only the runner's own output goes to the terminal, line by line). While a crashed runner
/// restarts, requests and loads wait for the new one.
final class RunnerSupervisor: Sendable {
    private struct State {
        var life = RunnerLife()
        /// The current runner process (starting, serving or replaying).
        var runner: RunnerProcess?
        var waiting: [CheckedContinuation<RunnerProcess?, Never>] = []
    }

    /// How runners are started, and what to close once the supervisor stops.
    struct Launcher: Sendable {
        /// Starts a runner and returns once it said hello.
        let launch: @Sendable () async throws -> RunnerProcess
        /// Closes what `launch` listens on.
        let close: @Sendable () -> Void
    }

    /// How much longer than the request timeout the front waits for the runner's answer, unless
    /// told otherwise.
    static let standardAnswerMargin: Duration = .seconds(5)

    /// What happened to the runner, in order. Ends after ``stop()``.
    let events: AsyncStream<RunnerEvent>
    /// How long a handler may take before its request is answered with a timeout (`nil`: no limit).
    let requestTimeout: Duration?
    /// How much longer than ``requestTimeout`` the front waits for the runner's answer.
    let answerMargin: Duration
    private let eventSink: AsyncStream<RunnerEvent>.Continuation
    private let launcher: Launcher
    private let state = Mutex(State())

    /// A supervisor for the runner `executable`, not started yet; listens on a fresh socket in /tmp.
    convenience init(executable: URL, requestTimeout: Duration?, terminal: Terminal) throws {
        let socketPath = "/tmp/rw-runner-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let listener = try UnixSocket.listen(at: socketPath)
        let launcher = Launcher(
            launch: {
                try await RunnerProcess.launch(
                    executable: executable, listener: listener, socketPath: socketPath, requestTimeout: requestTimeout,
                    terminal: terminal)
            },
            close: {
                listener.shutdown()
                unlink(socketPath)
            })
        self.init(launcher: launcher, requestTimeout: requestTimeout)
    }

    /// A supervisor that starts its runners with `launcher`, not started yet.
    init(launcher: Launcher, requestTimeout: Duration?, answerMargin: Duration = RunnerSupervisor.standardAnswerMargin) {
        self.launcher = launcher
        self.requestTimeout = requestTimeout
        self.answerMargin = answerMargin
        (events, eventSink) = AsyncStream.makeStream(of: RunnerEvent.self)
    }

    /// The serving runner's process id, if one serves.
    var runnerPID: Int32? {
        state.withLock { state in
            if case .send(let pid) = state.life.route, state.runner?.isRunning == true { pid } else { nil }
        }
    }

    /// Starts the runner; returns once it is ready.
    func start() async throws {
        _ = state.withLock { $0.life.start() }
        do {
            adopt(try await launcher.launch())
        } catch {
            perform(state.withLock { $0.life.launchFailed("\(error)") })
            throw error
        }
    }

    /// Stops the runner (not reported as a crash) and ends ``events``.
    func stop() {
        perform(state.withLock { $0.life.stop() })
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
        let limit = requestTimeout.map { $0 + answerMargin }
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
                perform(
                    state.withLock {
                        $0.life.unanswered(pid: life.pid, method: request.method, path: request.path, seconds: limit?.seconds ?? 0)
                    })
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
        let limit = requestTimeout.map { $0 + answerMargin }
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
        state.withLock { state in
            if case .refuse(let reason) = state.life.route { reason } else { "the runner is not running" }
        }
    }

    private func load(_ command: LoadCommand, into life: RunnerProcess) async -> LoadReply {
        let reply: LoadReply
        do {
            reply = try await life.client.request(.load, WireCodec.json(command)).decode(LoadReply.self)
        } catch {
            reply = LoadReply(.failed(reason: "the runner did not answer: \(error)"), loadMilliseconds: 0)
        }
        perform(state.withLock { $0.life.loadAnswered(command, reply) })
        return reply
    }

    /// The runner to send to: at once when one serves, after the restart while one restarts,
    /// `nil` when none can.
    ///
    /// A runner whose process has exited is not sent to, even before its exit is known (its
    /// output and frames are still read): a request answered with a crash must not let the next
    /// one, or a load, reach the dead runner.
    private func servingLife() async -> RunnerProcess? {
        await withCheckedContinuation { continuation in
            let life = state.withLock { state -> RunnerProcess?? in
                switch state.life.route {
                case .send(let pid):
                    if let runner = state.runner, runner.pid == pid, runner.isRunning { return .some(runner) }
                case .refuse: return .some(nil)
                case .wait: break
                }
                state.waiting.append(continuation)
                return .none
            }
            if case .some(let life) = life { continuation.resume(returning: life) }
        }
    }

    /// Makes `runner` (it said hello) the current one and watches its end.
    private func adopt(_ runner: RunnerProcess) {
        let actions = state.withLock { state in
            state.runner = runner
            return state.life.helloReceived(pid: runner.pid)
        }
        Task { [pid = runner.pid] in
            let exit = await runner.exit()
            perform(state.withLock { $0.life.exited(pid: pid, exit) })
        }
        perform(actions)
    }

    /// Carries out what the runner's life says, in order.
    private func perform(_ actions: [RunnerLife.Action]) {
        for action in actions {
            switch action {
            case .launch:
                Task {
                    do {
                        adopt(try await launcher.launch())
                    } catch {
                        perform(state.withLock { $0.life.launchFailed("\(error)") })
                    }
                }
            case .replay(let command, let pid):
                guard let runner = state.withLock({ $0.runner }), runner.pid == pid else { continue }
                Task {
                    let reply = await load(command, into: runner)
                    perform(state.withLock { $0.life.replayed(pid: pid, reply: reply) })
                }
            case .release(let pid):
                let (runner, waiting) = state.withLock { state in
                    defer { state.waiting = [] }
                    return (state.runner?.pid == pid ? state.runner : nil, state.waiting)
                }
                for waiter in waiting { waiter.resume(returning: runner) }
            case .refuse:
                let waiting = state.withLock { state in
                    defer { state.waiting = [] }
                    return state.waiting
                }
                for waiter in waiting { waiter.resume(returning: nil) }
            case .kill(let pid):
                if let runner = state.withLock({ $0.runner }), runner.pid == pid { runner.kill() }
            case .stop(let pid):
                if let runner = state.withLock({ $0.runner }), runner.pid == pid { runner.stop() }
            case .report(let event):
                eventSink.yield(event)
            case .finish:
                launcher.close()
                eventSink.finish()
            }
        }
    }
}
