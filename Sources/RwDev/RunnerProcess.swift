import Foundation
import RwWire
import Synchronization

/// One run of the runner child process, from start to exit: its connection, its output
/// forwarded to the terminal, and how it ended. Started and watched by ``RunnerSupervisor``.
///
/// The front listens; the runner connects and sends a ``Frame/Kind/hello`` frame, which is its
/// readiness. Everything after that travels on that one connection (``MultiplexedClient``).
final class RunnerProcess: Sendable {
    /// How a run ended.
    enum Exit: Sendable, Equatable {
        /// It was stopped with ``stop()``.
        case stopped
        /// It ended by itself, or was killed from outside or by ``kill()``.
        case crashed(RunnerCrash)
    }

    private struct State {
        var stopping = false
        var stuck: StuckHandler?
        var exit: Exit?
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Exit?, Never>] = [:]
        var errorTail: [String] = []
    }

    /// What the process, its output readers and its connection reader share.
    private final class Shared: Sendable {
        let state = Mutex(State())
        let errorsDrained = DispatchSemaphore(value: 0)
        let connectionEnded = DispatchSemaphore(value: 0)
        /// Signalled when the process has ended (and then again by every waiter).
        let ended = DispatchSemaphore(value: 0)
        /// The run, for the termination handler to report the exit to; cleared once the exit is
        /// recorded, so an ended run and its connection are freed with their last owner.
        let life = Mutex<RunnerProcess?>(nil)
    }

    private final class ProcessBox: @unchecked Sendable {
        // Only read after `run()`.
        let process: Process
        init(_ process: Process) { self.process = process }
    }

    /// The process id.
    let pid: Int32
    /// The connection's asking end.
    let client: MultiplexedClient
    private let process: ProcessBox
    private let shared: Shared

    /// How long a starting runner may take to say hello.
    static let startTimeout: Duration = .seconds(60)

    private init(process: Process, pid: Int32, client: MultiplexedClient, shared: Shared) {
        self.process = ProcessBox(process)
        self.pid = pid
        self.client = client
        self.shared = shared
    }

    /// Starts `executable` connecting to `listener` (at `socketPath`) and returns once it said hello.
    static func launch(
        executable: URL, listener: UnixSocket, socketPath: String, requestTimeout: Duration?, terminal: Terminal
    ) async throws -> RunnerProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = [socketPath] + (requestTimeout.map { [String($0.seconds)] } ?? [])
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
        let shared = Shared()
        let exited = shared.ended
        process.terminationHandler = { process in
            exited.signal()
            shared.life.withLock { $0 }?.exited(process)
        }
        try process.run()
        let pid = process.processIdentifier
        forwardLines(of: output.fileHandleForReading) { terminal.appOutput($0) }
        forwardLines(of: errors.fileHandleForReading, done: shared.errorsDrained) { line in
            terminal.appError(line)
            shared.state.withLock {
                $0.errorTail.append(line)
                if $0.errorTail.count > 400 { $0.errorTail.removeFirst($0.errorTail.count - 400) }
            }
        }
        let connection: FrameConnection
        do {
            connection = try await accept(pid: pid, on: listener, while: { exited.wait(timeout: .now()) == .timedOut })
        } catch {
            if process.isRunning { Glibc.kill(pid, SIGKILL) }
            _ = shared.errorsDrained.wait(timeout: .now() + 2)
            let tail = shared.state.withLock { $0.errorTail.joined(separator: "\n") }
            throw RwError("the runner did not start (\(error))\(tail.isEmpty ? "" : ":\n" + tail)")
        }
        let life = RunnerProcess(
            process: process, pid: pid, client: MultiplexedClient(connection), shared: shared)
        life.client.start(
            onEvent: { (frame: Frame) in
                if frame.kind == Frame.Kind.stuck, let report = try? frame.decode(StuckHandler.self) {
                    shared.state.withLock { $0.stuck = report }
                }
            },
            onEnd: { (_: WireError?) in shared.connectionEnded.signal() })
        shared.life.withLock { $0 = life }
        // It may have ended before the box held it.
        if exited.wait(timeout: .now()) == .success {
            exited.signal()
            life.exited(process)
        }
        return life
    }

    /// Accepts connections on `listener` until the one from `pid` says hello.
    private static func accept(pid: Int32, on listener: UnixSocket, while running: @escaping @Sendable () -> Bool) async throws -> FrameConnection {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    let deadline = DispatchTime.now() + .seconds(Int(startTimeout.seconds))
                    while true {
                        guard let socket = try listener.accept(while: { running() && DispatchTime.now() < deadline }) else {
                            throw RwError(running() ? "no hello within \(Int(startTimeout.seconds)) s" : "it exited during start-up")
                        }
                        // Only the runner just started: another one may have connected and died.
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
    var isRunning: Bool { shared.state.withLock { $0.exit == nil } }

    /// Stops the runner (SIGTERM, then SIGKILL after 3 s) and waits (bounded) for it to end; it
    /// is not reported as a crash.
    func stop() {
        shared.state.withLock { $0.stopping = true }
        let process = process.process
        if process.isRunning {
            process.terminate()
            if shared.ended.wait(timeout: .now() + 3) == .timedOut {
                Glibc.kill(pid, SIGKILL)
                _ = shared.ended.wait(timeout: .now() + 3)
            }
            shared.ended.signal()
        }
        client.connection.shutdown()
    }

    /// Kills the runner at once (SIGKILL); it ends as a crash.
    func kill() {
        if isRunning { Glibc.kill(pid, SIGKILL) }
    }

    /// How the run ended; waits until it has.
    func exit() async -> Exit {
        // Without a limit, the waiter is resumed only by the end of the run.
        await exit(within: nil)!
    }

    /// How the run ended, once it has; `nil` when it has not within `limit`.
    func exit(within limit: Duration?) async -> Exit? {
        await withCheckedContinuation { continuation in
            let waiter = shared.state.withLock { state -> Int? in
                if let exit = state.exit {
                    continuation.resume(returning: exit)
                    return nil
                }
                state.nextWaiter += 1
                state.waiters[state.nextWaiter] = continuation
                return state.nextWaiter
            }
            guard let waiter, let limit else { return }
            Task { [shared] in
                try? await Task.sleep(for: limit)
                shared.state.withLock { $0.waiters.removeValue(forKey: waiter) }?.resume(returning: nil)
            }
        }
    }

    /// The crash that ended the run, once it has ended (within `limit`); `nil` when it did not
    /// end in time or was stopped.
    func crash(within limit: Duration) async -> RunnerCrash? {
        if case .crashed(let crash) = await exit(within: limit) { crash } else { nil }
    }

    private func exited(_ process: Process) {
        guard shared.state.withLock({ $0.exit == nil }) else { return }
        let stopping = shared.state.withLock { $0.stopping }
        // Wait (bounded) until the error reader has everything the runner wrote before dying,
        // and the connection reader every frame it sent (a stuck handler's report).
        _ = shared.errorsDrained.wait(timeout: .now() + 2)
        if shared.connectionEnded.wait(timeout: .now() + 2) == .success { shared.connectionEnded.signal() }
        let (tail, stuck) = shared.state.withLock { ($0.errorTail.joined(separator: "\n"), $0.stuck) }
        let cause: RunnerCrash.Cause =
            if process.terminationReason == .uncaughtSignal {
                .signal(process.terminationStatus)
            } else if process.terminationStatus == RunnerProtocol.stuckHandlerExitStatus, let stuck {
                .stuckHandler(stuck)
            } else {
                .exitStatus(process.terminationStatus)
            }
        // The trap message or the runner's report first, then its last error output.
        let message = tail.split(separator: "\n").filter { $0.contains("Fatal error") || $0.contains("Program crashed") }.map(String.init)
        let report = stuck.map { ["\(RunnerProtocol.messagePrefix) \($0)"] } ?? []
        let crash = RunnerCrash(cause: cause, detail: (report + message + ["", tail]).joined(separator: "\n"))
        let exit: Exit = stopping ? .stopped : .crashed(crash)
        let waiters = shared.state.withLock { state in
            state.exit = exit
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: exit) }
        shared.life.withLock { $0 = nil }
    }

    /// Calls `body` with each line read from `handle` until end of file, on a thread of its own.
    private static func forwardLines(of handle: FileHandle, done: DispatchSemaphore? = nil, _ body: @escaping @Sendable (String) -> Void) {
        let thread = Thread {
            defer { done?.signal() }
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
