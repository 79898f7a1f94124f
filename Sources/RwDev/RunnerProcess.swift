import Foundation
import RwState
import RwWire
import Synchronization

/// The runner child process: started, fed generations, forwarded requests, and watched for
/// crashes. All members are safe to call from any task.
final class RunnerProcess: Sendable {
    /// Why the runner ended without being asked to.
    struct Crash: Sendable {
        /// How it ended, such as "signal 4 (SIGILL)" or "exit status 1".
        let reason: String
        /// The trap message, then the last lines it wrote to standard error (usually a backtrace).
        let errorTail: String
    }

    /// One run of the runner process, from start to exit.
    private final class Life: @unchecked Sendable {
        // `process` is only read after start; the rest is synchronized.
        let process: Process
        let errorsDrained = DispatchSemaphore(value: 0)
        let ended = DispatchSemaphore(value: 0)
        let crash = Mutex<Crash?>(nil)

        init(process: Process) { self.process = process }
    }

    private struct State {
        var life: Life?
        var stopping = false
        var errorTail: [String] = []
    }

    /// The runner's answer when a handler did not answer within the request timeout; the
    /// runner cancelled it.
    struct TimedOut: Error, Sendable {
        /// The request timeout.
        let seconds: Double
        /// How long the runner waits for the cancelled handler before it restarts.
        let graceSeconds: Double
    }

    /// The runner did not answer a request within the request timeout and ``answerMargin``: it
    /// neither finished the handler nor timed it out, so it is stopped or deadlocked. It was
    /// killed, and restarts as after a crash.
    struct Unresponsive: Error, Sendable {
        /// How long the front waited.
        let seconds: Double
    }

    /// The runner process a request went to ended before answering.
    struct Died: Error, Sendable {
        /// How it ended, once it has (`nil` when it did not end within 60 s).
        let crash: Crash?
        /// The error on the connection.
        let cause: String
    }

    /// How much longer than the request timeout the front waits for the runner's answer.
    static let answerMargin: Duration = .seconds(5)

    let executable: URL
    let socketPath: String
    /// How long a handler may take before its request is answered with a timeout (`nil`: no limit).
    let requestTimeout: Duration?
    private let state = Mutex(State())
    private let terminal: Terminal
    private let onCrash: @Sendable (Crash) -> Void

    /// A runner process for `executable`, not started yet. `onCrash` is called once for each
    /// run that ends without ``stop()``.
    init(executable: URL, requestTimeout: Duration?, terminal: Terminal, onCrash: @escaping @Sendable (Crash) -> Void) {
        self.executable = executable
        self.requestTimeout = requestTimeout
        self.socketPath = "/tmp/rw-runner-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        self.terminal = terminal
        self.onCrash = onCrash
    }

    /// Starts a new runner process and returns once it accepts connections.
    func start() async throws {
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
        process.terminationHandler = { [weak self] process in self?.exited(process) }
        let life = Life(process: process)
        state.withLock { $0 = State(life: life) }
        try process.run()
        forwardErrors(errors.fileHandleForReading, drained: life.errorsDrained)
        let ready: Bool = await withCheckedContinuation { continuation in
            Thread { [terminal] in
                var resumed = false
                Self.forEachLine(of: output.fileHandleForReading) { line in
                    if !resumed && line == RunnerProtocol.readyLine {
                        resumed = true
                        continuation.resume(returning: true)
                    } else {
                        terminal.appOutput(line)
                    }
                }
                if !resumed { continuation.resume(returning: false) }
            }.start()
        }
        guard ready else { throw RwError("the runner exited during start-up: \(errorTail())") }
    }

    /// Stops the runner (SIGTERM, then SIGKILL after 3 s); it is not reported as a crash.
    func stop() {
        let life = state.withLock { state -> Life? in
            state.stopping = true
            return state.life
        }
        if let life, life.process.isRunning {
            life.process.terminate()
            if life.ended.wait(timeout: .now() + 3) == .timedOut {
                kill(life.process.processIdentifier, SIGKILL)
                _ = life.ended.wait(timeout: .now() + 3)
            }
        }
        unlink(socketPath)
    }

    /// Loads `image` as the serving generation.
    func load(_ image: AppImage, depsHash: String) async throws -> LoadResult {
        let command = LoadCommand(generation: image.generation, appImage: image.path.path, depsHash: depsHash)
        let reply = try await exchange(try Frame(.load, json: command))
        return try reply.decode(LoadResult.self)
    }

    /// Forwards one request. Throws ``TimedOut`` when the handler did not answer within the
    /// request timeout (the runner cancelled it); ``Unresponsive``, after killing the runner, when
    /// the runner gave no answer at all within the request timeout and ``answerMargin``; ``Died``
    /// with the crash of the run it went to when that run ended before answering.
    func forward(_ request: RwRequest) async throws -> RwResponse {
        let life = state.withLock { $0.life }
        let limit = requestTimeout.map { $0 + Self.answerMargin }
        let reply: Frame
        do {
            reply = try await exchange(Frame(.request, try WireCodec.encode(request)), receiveTimeout: limit)
        } catch WireError.timedOut {
            // Only the run this request went to: a restarted runner is not to blame.
            if let life, life.process.isRunning {
                terminal.error("✗ the runner did not answer \(request.method) \(request.path) within \(limit?.seconds ?? 0) s; killing it")
                kill(life.process.processIdentifier, SIGKILL)
            }
            throw Unresponsive(seconds: limit?.seconds ?? 0)
        } catch {
            // The run this request went to, even when a new one has started since.
            throw Died(crash: await life.asyncMap(Self.crashReport) ?? nil, cause: "\(error)")
        }
        if reply.kind == .timedOut {
            let report = try reply.decode(RequestTimedOut.self)
            throw TimedOut(seconds: report.seconds, graceSeconds: report.graceSeconds)
        }
        return try WireCodec.decodeResponse(reply.payload)
    }

    /// The runner's state registry listing.
    func stateEntries() async throws -> [StateEntry] {
        try await exchange(Frame(.state)).decode([StateEntry].self)
    }

    /// How the run `life` crashed, once it has; waits (up to 60 s: writing a backtrace takes
    /// seconds on a busy machine) for it to end. By the time it returns, the crash has been
    /// reported to the session.
    private static func crashReport(of life: Life) async -> Crash? {
        let didEnd: Bool = await withCheckedContinuation { continuation in
            Thread {
                let result = life.ended.wait(timeout: .now() + 60) == .success
                if result { life.ended.signal() }  // let other waiters through too
                continuation.resume(returning: result)
            }.start()
        }
        return didEnd ? life.crash.withLock { $0 } : nil
    }

    /// The last lines the runner wrote to standard error.
    func errorTail() -> String {
        state.withLock { $0.errorTail.joined(separator: "\n") }
    }

    private func exchange(_ frame: Frame, receiveTimeout: Duration? = nil) async throws -> Frame {
        let path = socketPath
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let socket = try UnixSocket.connect(to: path)
                    defer { socket.close() }
                    if let receiveTimeout { socket.setReceiveTimeout(receiveTimeout) }
                    return try socket.exchange(frame)
                })
            }.start()
        }
    }

    private func forwardErrors(_ handle: FileHandle, drained: DispatchSemaphore) {
        Thread { [self] in
            defer { drained.signal() }
            Self.forEachLine(of: handle) { line in
                terminal.appError(line)
                state.withLock {
                    $0.errorTail.append(line)
                    if $0.errorTail.count > 400 { $0.errorTail.removeFirst($0.errorTail.count - 400) }
                }
            }
        }.start()
    }

    private func exited(_ process: Process) {
        let (life, expected) = state.withLock { state -> (Life?, Bool) in
            guard let life = state.life, life.process === process else { return (nil, true) }
            return (life, state.stopping)
        }
        guard let life else { return }
        guard !expected else {
            life.ended.signal()
            return
        }
        // Wait (bounded) until the error reader has everything the runner wrote before dying.
        _ = life.errorsDrained.wait(timeout: .now() + 2)
        let reason =
            process.terminationReason == .uncaughtSignal
            ? "signal \(process.terminationStatus) (\(Self.signalName(process.terminationStatus)))"
            : process.terminationStatus == RunnerProtocol.stuckHandlerExitStatus
                ? "it stopped itself: a handler never returned after its request timed out"
                : "exit status \(process.terminationStatus)"
        // The trap message first, then the runner's last error output (usually a backtrace).
        let tail = errorTail()
        let message = tail.split(separator: "\n").filter {
            $0.contains("Fatal error") || $0.contains("Program crashed") || $0.hasPrefix(RunnerProtocol.messagePrefix)
        }
        let crash = Crash(reason: reason, errorTail: (message.map(String.init) + ["", tail]).joined(separator: "\n"))
        life.crash.withLock { $0 = crash }
        onCrash(crash)
        life.ended.signal()
    }

    /// Calls `body` with each line read from `handle` until end of file (blocking).
    private static func forEachLine(of handle: FileHandle, _ body: (String) -> Void) {
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

    private static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "SIGILL: a Swift runtime trap such as fatalError or a force unwrap of nil"
        case SIGTRAP: "SIGTRAP: a Swift runtime trap"
        case SIGSEGV: "SIGSEGV: invalid memory access or stack overflow"
        case SIGABRT: "SIGABRT"
        case SIGKILL: "SIGKILL: killed by another process, or by the kernel when memory ran out"
        case SIGBUS: "SIGBUS"
        default: "signal \(signal)"
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
