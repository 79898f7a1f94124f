import Foundation
import RwState
import Synchronization

#if SWIFT_PACKAGE
    import RwWire
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Holds the generation currently serving and answers frames from the front process.
///
/// With a request timeout, every request is answered within it: a handler still running then
/// is cancelled and the front gets a ``Frame/Kind/timedOut`` frame instead of a response. A
/// cancelled handler that has not returned after a grace period (as long as the timeout, at most
/// 5 s) never yields or ignores cancellation; the runner then writes why to standard error and
/// exits with ``RunnerProtocol/stuckHandlerExitStatus``, so that the front restarts it.
final class Runner: Sendable {
    private struct Current {
        var generation = 0
        var entry: ImageEntry?
    }

    private let current = Mutex(Current())
    private let requestTimeout: Duration?

    /// A runner whose handlers must answer within `requestTimeout` (`nil`: no limit).
    init(requestTimeout: Duration?) {
        self.requestTimeout = requestTimeout
    }

    /// Answers every frame on `connection` until the front closes it.
    func serve(_ connection: UnixSocket) {
        defer { connection.close() }
        while let frame = try? connection.receive() {
            let reply: Frame
            switch frame.kind {
            case .request:
                guard respond(to: frame, on: connection) else { return }
                continue
            case .load: reply = load(frame)
            case .state: reply = (try? Frame(.stateList, json: StateRegistry.shared.entries())) ?? Frame(.stateList)
            default: return
            }
            guard (try? connection.send(reply)) != nil else { return }
        }
    }

    /// Answers one request frame on `connection`; `false` when the connection failed.
    private func respond(to frame: Frame, on connection: UnixSocket) -> Bool {
        guard let request = try? WireCodec.decodeRequest(frame.payload) else {
            return send(RwResponse(status: 400, text: "The runner received a malformed request frame.\n"), on: connection)
        }
        // A request keeps the generation it started on, even if a newer one loads meanwhile.
        guard let entry = current.withLock({ $0.entry }) else {
            return send(RwResponse(status: 503, text: "No generation is loaded yet.\n"), on: connection)
        }
        let handler = HandlerRun { await entry.handle(request) }
        if let response = handler.result(within: requestTimeout) {
            return send(response, on: connection)
        }
        // Timed out: cancel, answer at once, then make sure the handler ends.
        let timeout = requestTimeout ?? .zero
        let grace = min(timeout, .seconds(5))
        handler.cancel()
        let report = RequestTimedOut(seconds: timeout.seconds, graceSeconds: grace.seconds)
        let sent = (try? connection.send(try Frame(.timedOut, json: report))) != nil
        if handler.result(within: grace) == nil {
            Self.exitStuck(
                "\(request.method) \(request.path) did not return within \(grace.seconds) s after it timed out "
                    + "(\(timeout.seconds) s) and was cancelled: it never yields (an infinite loop?) or waits on something "
                    + "that ignores cancellation. The runner exits so that rw dev restarts it.")
        }
        return sent
    }

    private func send(_ response: RwResponse, on connection: UnixSocket) -> Bool {
        (try? connection.send(Frame(.response, (try? WireCodec.encode(response)) ?? []))) != nil
    }

    /// Writes `message` to standard error and ends the process at once with
    /// ``RunnerProtocol/stuckHandlerExitStatus``: a thread that never yields cannot be stopped
    /// in any other way.
    private static func exitStuck(_ message: String) -> Never {
        FileHandle.standardError.write(Data("\(RunnerProtocol.messagePrefix) \(message)\n".utf8))
        _exit(RunnerProtocol.stuckHandlerExitStatus)
    }

    private func load(_ frame: Frame) -> Frame {
        let started = DispatchTime.now()
        func result(_ error: String?) -> Frame {
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
            let outcome = LoadResult(ok: error == nil, error: error, loadMilliseconds: milliseconds)
            return (try? Frame(.loaded, json: outcome)) ?? Frame(.loaded)
        }
        guard let command = try? frame.decode(LoadCommand.self) else { return result("malformed load command") }
        StateRegistry.shared.currentGeneration = command.generation
        // Images are never closed: Swift images cannot be unloaded safely.
        guard let handle = dlopen(command.appImage, RTLD_NOW | RTLD_LOCAL) else {
            return result("dlopen(\(command.appImage)) failed: \(String(cString: dlerror()))")
        }
        guard let symbol = dlsym(handle, ImageEntry.symbol) else {
            return result("\(command.appImage) does not export \(ImageEntry.symbol)")
        }
        typealias EntryFunction = @convention(c) () -> UnsafeMutableRawPointer
        let entry = Unmanaged<ImageEntry>.fromOpaque(unsafeBitCast(symbol, to: EntryFunction.self)()).takeRetainedValue()
        guard entry.depsHash == command.depsHash else {
            return result(
                "refused \(command.appImage): it was compiled against deps image \(entry.depsHash), "
                    + "but this generation runs with \(command.depsHash)")
        }
        current.withLock { $0 = Current(generation: command.generation, entry: entry) }
        return result(nil)
    }
}

/// One handler run on the cooperative pool, awaited by a dedicated (blocking) thread.
private final class HandlerRun: Sendable {
    private final class Outcome: Sendable {
        let response = Mutex<RwResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
    }

    private let outcome: Outcome
    private let task: Task<Void, Never>

    /// Starts `operation` at once.
    init(_ operation: @escaping @Sendable () async -> RwResponse) {
        let outcome = Outcome()
        self.outcome = outcome
        task = Task {
            let value = await operation()
            outcome.response.withLock { $0 = value }
            outcome.done.signal()
        }
    }

    /// Blocks until the handler returns (its response) or `timeout` passes (`nil`).
    func result(within timeout: Duration?) -> RwResponse? {
        if let timeout {
            let deadline = DispatchTime.now() + .nanoseconds(Int(timeout.seconds * 1e9))
            guard outcome.done.wait(timeout: deadline) == .success else { return nil }
        } else {
            outcome.done.wait()
        }
        outcome.done.signal()  // later calls return at once
        return outcome.response.withLock { $0 }
    }

    /// Cancels the handler's task.
    func cancel() { task.cancel() }
}
