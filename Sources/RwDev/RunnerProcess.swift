import Foundation
import RwSubprocess
import RwWire
import Synchronization

/// One run of the runner child process, from start to exit: its connection, its output
/// forwarded to the terminal, and how it ended. Started and watched by ``RunnerSupervisor``.
///
/// The front listens; the runner connects and sends a ``Frame/Kind/hello`` frame, which is its
/// readiness. Everything after that travels on that one connection (``MultiplexedClient``).
///
/// One thread per run starts the process and then waits for its end (`waitid`); what it learns,
/// with the ends of the error output and of the connection, goes into a ``RunnerEnding``, which
/// says when the exit is known. Nothing refers back to the run: an ended run, its connection and
/// its socket are freed with their last owner.
final class RunnerProcess: Sendable {
    /// How a run ended.
    enum Exit: Sendable, Equatable {
        /// It was stopped with ``stop()``.
        case stopped
        /// It ended by itself, or was killed from outside or by ``kill()``.
        case crashed(RunnerCrash)
    }

    /// The child process, its exit watcher and what its readers collected; shared by the
    /// watcher thread, the output readers and the connection reader (none of them holds the run).
    final class Child: Sendable {
        private struct State {
            var ending = RunnerEnding()
            var stuck: StuckHandler?
            var errorTail: [String] = []
            var exit: Exit?
            var nextWaiter = 0
            var waiters: [Int: CheckedContinuation<Exit?, Never>] = [:]
        }

        /// The process id.
        let pid: Int32
        private let process: ProcessBox
        private let state = Mutex(State())

        private final class ProcessBox: @unchecked Sendable {
            // Only read after `run()`, by the watcher thread and `hasEnded`.
            let process: Process
            init(_ process: Process) { self.process = process }
        }

        /// How long the exit waits, after the process ended, for the rest of its error output and
        /// of its frames (a stuck handler's report).
        static let drainLimit: Duration = .seconds(2)

        private init(_ process: Process) {
            self.process = ProcessBox(process)
            pid = process.processIdentifier
        }

        /// Starts `executable` with `arguments`, forwarding its output lines to `terminal` and
        /// keeping the last 400 lines of its error output for the crash report. The process is
        /// started on the thread that then waits for its end, so the run loop Foundation leaves
        /// on the launching thread goes with that thread.
        static func spawn(_ executable: URL, arguments: [String], terminal: Terminal) async throws -> Child {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            // A trap prints its backtrace and exits; never waits for input on a terminal.
            if environment["SWIFT_BACKTRACE"] == nil {
                environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,symbolicate=fast"
            }
            process.environment = environment
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            let box = ProcessBox(process)
            let child: Child = try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    do {
                        try box.process.run()
                    } catch {
                        continuation.resume(throwing: error)
                        return
                    }
                    let child = Child(box.process)
                    forwardLines(of: output.fileHandleForReading, to: terminal.appOutput, then: {})
                    forwardLines(
                        of: errors.fileHandleForReading,
                        to: { line in
                            terminal.appError(line)
                            child.keep(errorLine: line)
                        }, then: { child.advance { $0.errorsEnded() } })
                    continuation.resume(returning: child)
                    child.watch()
                }
                thread.name = "rw-runner-exit"
                thread.start()
            }
            return child
        }

        /// Waits for the end of the process on the calling thread, then lets Foundation notice
        /// it too (so that it closes the descriptors it keeps for the child).
        private func watch() {
            let termination = process.process.waitForTermination()
            advance { $0.terminated(termination) }
            process.process.waitUntilExit()
        }

        /// Whether the process has not ended yet: the watcher has not seen it end, nor has the
        /// kernel (once the watcher has, the pid may belong to another process).
        var isRunning: Bool { state.withLock { $0.ending.termination == nil } && !process.process.hasEnded }

        /// The runner said hello on a connection, whose end the exit waits for.
        func connected() { advance { $0.connected() } }

        /// Takes `report` (the runner's ``Frame/Kind/stuck`` frame) for the crash report.
        func stuck(_ report: StuckHandler) { state.withLock { $0.stuck = report } }

        /// The connection to the runner ended.
        func connectionEnded() { advance { $0.connectionEnded() } }

        /// The end is not reported as a crash.
        func markStopping() { advance { $0.stopRequested() } }

        /// Keeps `line` of error output, with the 399 before it.
        private func keep(errorLine line: String) {
            state.withLock {
                $0.errorTail.append(line)
                if $0.errorTail.count > 400 { $0.errorTail.removeFirst($0.errorTail.count - 400) }
            }
        }

        /// The last lines of error output, oldest first.
        var errorTail: [String] { state.withLock { $0.errorTail } }

        /// Feeds one event into the ending and carries out what it says.
        private func advance(_ event: (inout RunnerEnding) -> RunnerEnding.Action) {
            let (action, stuck, tail) = state.withLock { state in (event(&state.ending), state.stuck, state.errorTail) }
            switch action {
            case .none:
                break
            case .waitForDrain:
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(Self.drainLimit.seconds * 1000))) { [self] in
                    advance { $0.drainLimitPassed() }
                }
            case .report(let termination, let stopped):
                let exit: Exit =
                    stopped ? .stopped : .crashed(RunnerCrash(termination: termination, stuck: stuck, errorTail: tail))
                let waiters = state.withLock { state in
                    state.exit = exit
                    defer { state.waiters = [:] }
                    return Array(state.waiters.values)
                }
                for waiter in waiters { waiter.resume(returning: exit) }
            }
        }

        /// How the run ended, once it has; `nil` when it has not within `limit` (`nil`: no limit).
        func exit(within limit: Duration?) async -> Exit? {
            await withCheckedContinuation { continuation in
                let waiter = state.withLock { state -> Int? in
                    if let exit = state.exit {
                        continuation.resume(returning: exit)
                        return nil
                    }
                    state.nextWaiter += 1
                    state.waiters[state.nextWaiter] = continuation
                    return state.nextWaiter
                }
                guard let waiter, let limit else { return }
                Task { [self] in
                    try? await Task.sleep(for: limit)
                    state.withLock { $0.waiters.removeValue(forKey: waiter) }?.resume(returning: nil)
                }
            }
        }

        /// Waits, blocking the calling thread, until the process has ended or `limit` passed
        /// (asking the kernel every 10 ms); `true` when it has ended. For ``RunnerProcess/stop()``,
        /// which runs on the way out of `rw dev`, where nothing can be awaited.
        func waitForEnd(within limit: Duration) -> Bool {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if !isRunning { return true }
                usleep(10_000)
            }
            return !isRunning
        }

        /// Sends `signal` to the process, unless it has ended.
        func signal(_ signal: Int32) {
            if isRunning { Glibc.kill(pid, signal) }
        }
    }

    /// The process id.
    let pid: Int32
    /// The connection's asking end.
    let client: MultiplexedClient
    private let child: Child

    /// How long a starting runner may take to say hello.
    static let startTimeout: Duration = .seconds(60)

    /// The run of `child`, which said hello on `connection`; starts reading the connection.
    init(child: Child, connection: FrameConnection) {
        self.child = child
        pid = child.pid
        client = MultiplexedClient(connection)
        child.connected()
        client.start(
            onEvent: { (frame: Frame) in
                if frame.kind == Frame.Kind.stuck, let report = try? frame.decode(StuckHandler.self) {
                    child.stuck(report)
                }
            },
            onEnd: { (_: WireError?) in child.connectionEnded() })
    }

    /// Starts `executable` connecting to `listener` (at `socketPath`) and returns once it said hello.
    static func launch(
        executable: URL, listener: UnixSocket, socketPath: String, requestTimeout: Duration?, terminal: Terminal
    ) async throws -> RunnerProcess {
        let child = try await Child.spawn(
            executable, arguments: [socketPath] + (requestTimeout.map { [String($0.seconds)] } ?? []), terminal: terminal)
        let connection: FrameConnection
        do {
            connection = try await accept(pid: child.pid, on: listener, while: { child.isRunning })
        } catch {
            child.signal(SIGKILL)
            _ = await child.exit(within: Child.drainLimit + .seconds(1))
            let tail = child.errorTail.joined(separator: "\n")
            throw RwError("the runner did not start (\(error))\(tail.isEmpty ? "" : ":\n" + tail)")
        }
        return RunnerProcess(child: child, connection: connection)
    }

    /// The run of `child`, whose runner is connected through `socket` (one end of a socket
    /// pair); returns once a hello with its pid came on it, within ``startTimeout``.
    static func attach(_ child: Child, through socket: UnixSocket) async throws -> RunnerProcess {
        let connection = try await handshake(pid: child.pid) { _ in socket }
        return RunnerProcess(child: child, connection: connection)
    }

    /// Accepts connections on `listener` until the one from `pid` says hello.
    private static func accept(pid: Int32, on listener: UnixSocket, while running: @escaping @Sendable () -> Bool) async throws -> FrameConnection {
        try await handshake(pid: pid) { deadline in
            guard let socket = try listener.accept(while: { running() && ContinuousClock.now < deadline }) else {
                throw RwError(running() ? "no hello within \(Int(startTimeout.seconds)) s" : "it exited during start-up")
            }
            return socket
        }
    }

    /// Takes sockets from `next` (on a thread of its own) until one brings a hello from `pid`,
    /// within ``startTimeout``: another runner may have connected and died.
    private static func handshake(
        pid: Int32, next: @escaping @Sendable (ContinuousClock.Instant) throws -> UnixSocket
    ) async throws -> FrameConnection {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result {
                        let deadline = ContinuousClock.now + startTimeout
                        while true {
                            let socket = try next(deadline)
                            guard let hello = try? socket.receive(), hello.kind == .hello,
                                let runner = try? hello.decode(RunnerHello.self), runner.pid == pid
                            else { continue }
                            return FrameConnection(socket)
                        }
                    })
            }
            thread.name = "rw-runner-accept"
            thread.start()
        }
    }

    /// Whether the process has not ended yet.
    var isRunning: Bool { child.isRunning }

    /// Stops the runner (SIGTERM, then SIGKILL after 3 s) and waits (bounded) for it to end; it
    /// is not reported as a crash.
    func stop() {
        child.markStopping()
        if child.isRunning {
            child.signal(SIGTERM)
            if !child.waitForEnd(within: .seconds(3)) {
                child.signal(SIGKILL)
                _ = child.waitForEnd(within: .seconds(3))
            }
        }
        client.connection.shutdown()
    }

    /// Kills the runner at once (SIGKILL); it ends as a crash.
    func kill() {
        child.signal(SIGKILL)
    }

    /// How the run ended; waits until it has.
    func exit() async -> Exit {
        // Without a limit, the waiter is resumed only by the end of the run.
        await child.exit(within: nil)!
    }

    /// How the run ended, once it has; `nil` when it has not within `limit`.
    func exit(within limit: Duration?) async -> Exit? {
        await child.exit(within: limit)
    }

    /// The crash that ended the run, once it has ended (within `limit`); `nil` when it did not
    /// end in time or was stopped.
    func crash(within limit: Duration) async -> RunnerCrash? {
        if case .crashed(let crash) = await exit(within: limit) { crash } else { nil }
    }

    /// Calls `body` with each line read from `handle` until end of file, then `done`, on a
    /// thread of its own.
    private static func forwardLines(
        of handle: FileHandle, to body: @escaping @Sendable (String) -> Void, then done: @escaping @Sendable () -> Void
    ) {
        let thread = Thread {
            defer { done() }
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    body(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
        }
        thread.start()
    }
}
