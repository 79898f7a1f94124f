import Foundation
import RwState
import Synchronization

#if SWIFT_PACKAGE
import RwWire
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Holds the generation currently serving and answers the front's frames on one connection.
///
/// Frames are read by one thread (the caller of ``serve()``). Each request runs as a task of its
/// own, and its response is sent as soon as it is ready, so responses leave in the order handlers
/// finish, with the request's stream id. The last request frame that has arrived starts on the
/// reading thread and keeps it until its handler first suspends: a page that never suspends is
/// answered without waking a thread of the pool (a thread hop costs more than such a page), and
/// a handler that computes without suspending holds up the frames after it for that long.
/// Requests with frames already waiting behind them start on the pool. Loads and state listings
/// are answered on the reading thread, in order.
///
/// With a request timeout, every request is answered within it: a handler still running then
/// is cancelled and the front gets a ``Frame/Kind/timedOut`` frame instead of a response. A
/// cancelled handler that has not returned after a grace period (as long as the timeout, at most
/// 5 s) never yields or ignores cancellation; the runner then sends a ``Frame/Kind/stuck`` frame,
/// writes why to standard error and exits with ``RunnerProtocol/stuckHandlerExitStatus``, so that
/// the front restarts it. Both deadlines are kept by a ``Watchdog`` thread, which needs no thread
/// of the cooperative pool.
///
/// A streamed response (a page that awaits) is sent as a ``Frame/Kind/streamStart`` frame once
/// the handler returns, then a ``Frame/Kind/chunk`` per piece and a ``Frame/Kind/streamEnd``;
/// ``CreditWindows`` bounds what is sent ahead of the front's credit, and a
/// ``Frame/Kind/cancel`` from the front stops the producer. The request timeout covers the
/// handler, not the streaming that follows it.
///
/// Sockets the front relays stay open across loads: each message is handled by the generation
/// current when it arrives (see `Runner+Sockets.swift`).
final class Runner: Sendable {
    struct Current {
        var generation = 0
        var entry: ImageEntry?
        /// The folder of the generation's images.
        var imageDirectory: String?
    }

    let current = Mutex(Current())
    private let connection: FrameConnection
    private let requestTimeout: Duration?
    private let watchdog = Watchdog()
    let credits = CreditWindows()
    /// The open sockets, by stream id.
    let sockets = Mutex<[UInt32: RelayedSocket]>([:])

    /// A runner answering on `connection`, whose handlers must answer within `requestTimeout`
    /// (`nil`: no limit).
    init(connection: FrameConnection, requestTimeout: Duration?) {
        self.connection = connection
        self.requestTimeout = requestTimeout
    }

    /// Answers frames until the front closes the connection; returns why reading stopped
    /// (`nil`: closed cleanly).
    func serve() -> WireError? {
        connection.read { frame, moreWaiting in
            switch frame.kind {
            case .request: respond(to: frame, immediately: !moreWaiting)
            case .refused: refuse(frame)
            case .load: send(Frame(.loaded, stream: frame.stream, json: load(frame)))
            case .state: send(Frame(.stateList, stream: frame.stream, json: stateListing()))
            case .credit:
                if let credit = try? frame.decode(StreamCredit.self) { credits.grant(credit.bytes, to: frame.stream) }
            case .cancel: credits.cancel(frame.stream)
            case .socketOpen: openSocket(frame)
            case .socketMessage: socketMessage(frame)
            case .socketClose: socketClosed(frame.stream)
            default: break  // only the front's kinds are answered
            }
        }
    }

    func send(_ frame: @autoclosure () throws -> Frame) {
        // A broken connection ends `serve()`; there is no one left to tell.
        _ = try? connection.send(frame())
    }

    func send(_ response: RwResponse, stream: UInt32) {
        send(Frame(.response, stream: stream, WireCodec.encode(response)))
    }

    /// Sends a response whose body goes on in `rest`: its start, a chunk per piece as the
    /// front's credit allows, then the end (with the failure when producing failed). Returns
    /// when the body is complete, failed or was cancelled by the front.
    private func stream(_ response: RwResponse, rest: RwBodyStream, on stream: UInt32) async {
        credits.open(stream)
        defer { credits.close(stream) }
        send(Frame(.streamStart, stream: stream, WireCodec.encode(response)))
        let pump = Task { [self, credits] in
            do {
                for try await piece in rest where !piece.isEmpty {
                    try await credits.take(piece.count, on: stream)
                    send(Frame(.chunk, stream: stream, piece))
                }
                send(Frame(.streamEnd, stream: stream, json: StreamEnd()))
            } catch {
                // After a cancel nobody reads the stream; the front drops the frame.
                send(Frame(.streamEnd, stream: stream, json: StreamEnd(failure: String(reflecting: error))))
            }
        }
        credits.onCancel(stream) { pump.cancel() }
        await pump.value
    }

    /// Sends what the handler answered.
    private func answer(_ response: RwResponse, stream: UInt32) async {
        guard let rest = response.stream else { return send(response, stream: stream) }
        await self.stream(response, rest: rest, on: stream)
    }

    /// Starts the handler of one request frame. `immediately`: the handler runs on this thread
    /// until it first suspends (most pages never do, and are answered without waking a thread
    /// of the pool); otherwise, with frames waiting behind it, it starts on the pool.
    private func respond(to frame: Frame, immediately: Bool) {
        let stream = frame.stream
        guard let request = try? WireCodec.decodeRequest(frame.payload) else {
            return send(RwResponse(status: 400, text: "The runner received a malformed request frame.\n"), stream: stream)
        }
        // A request keeps the generation it started on, even if a newer one loads meanwhile.
        guard let entry = current.withLock({ $0.entry }) else {
            return send(RwResponse(status: 503, text: "No generation is loaded yet.\n"), stream: stream)
        }
        let run = RequestRun()
        if let timeout = requestTimeout {
            // Scheduled before the handler starts: it may run to its end right here.
            let deadline = watchdog.schedule(after: timeout) { [self] in
                // Timed out: cancel, answer at once, then make sure the handler ends.
                guard run.timeoutPassed() else { return }
                let grace = min(timeout, .seconds(5))
                send(Frame(.timedOut, stream: stream, json: RequestTimedOut(seconds: timeout.seconds, graceSeconds: grace.seconds)))
                watchdog.schedule(after: grace) { [self] in
                    guard run.isStuck else { return }
                    exitStuck(
                        StuckHandler(method: request.method.name, path: request.path, timeoutSeconds: timeout.seconds, graceSeconds: grace.seconds))
                }
            }
            run.deadline.withLock { $0 = deadline }
        }
        let handle: @Sendable () async -> Void = { [self, watchdog] in
            let response = await entry.handle(request)
            let answered = run.handlerReturned()
            // Finished requests leave no deadline behind.
            if let deadline = run.deadline.withLock({ $0 }) { watchdog.cancel(deadline) }
            if answered { await answer(response, stream: stream) }
        }
        run.attach(immediately ? Task.immediate(operation: handle) : Task(operation: handle))
    }

    /// Answers a request the front refused before reading its body, as the serving generation's
    /// app answers that error.
    private func refuse(_ frame: Frame) {
        let stream = frame.stream
        guard let refused = try? RefusedRequest(decoding: frame.payload) else {
            return send(RwResponse(status: 400, text: "The runner received a malformed refusal frame.\n"), stream: stream)
        }
        guard let entry = current.withLock({ $0.entry }) else {
            return send(RwResponse(status: refused.status, text: refused.message + "\n"), stream: stream)
        }
        Task { [self] in await answer(await entry.refuse(refused.request, refused.status, refused.message), stream: stream) }
    }

    /// Tells the front why, writes it to standard error, and ends the process at once with
    /// ``RunnerProtocol/stuckHandlerExitStatus``: a thread that never yields cannot be stopped
    /// in any other way.
    private func exitStuck(_ report: StuckHandler) -> Never {
        send(Frame(.stuck, json: report))
        FileHandle.standardError.write(Data("\(RunnerProtocol.messagePrefix) \(report)\n".utf8))
        _exit(RunnerProtocol.stuckHandlerExitStatus)
    }

    /// The state registry's keys and the serving generation's globals.
    private func stateListing() -> StateListing {
        let (directory, entry) = current.withLock { ($0.imageDirectory, $0.entry) }
        return StateListing(
            entries: StateRegistry.shared.entries(), globals: directory.map(ReloadedGlobals.list(in:)) ?? [],
            channels: entry?.sockets.listing() ?? [])
    }

    private func load(_ frame: Frame) -> LoadReply {
        let started = DispatchTime.now()
        var globals = GlobalsReport()
        func reply(_ outcome: LoadOutcome) -> LoadReply {
            LoadReply(
                outcome, loadMilliseconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6,
                globals: globals)
        }
        guard let command = try? frame.decode(LoadCommand.self) else { return reply(.failed(reason: "malformed load command")) }
        StateRegistry.shared.currentGeneration = command.generation
        let imageDirectory = URL(fileURLWithPath: command.appImage).deletingLastPathComponent().path
        let loadedBefore = ReloadedGlobals.loadedImages()
        // Images are never closed: Swift images cannot be unloaded safely.
        guard let handle = dlopen(command.appImage, RTLD_NOW | RTLD_LOCAL) else {
            return reply(.failed(reason: "dlopen(\(command.appImage)) failed: \(String(cString: dlerror()))"))
        }
        // Before any code of the new images runs (a global initializes on first use): the new
        // generation of each reloaded image takes over the values of its predecessor's globals.
        globals = ReloadedGlobals.carry(
            loadedSince: loadedBefore, in: imageDirectory,
            reinitialize: command.reinitialize)
        guard let symbol = dlsym(handle, ImageEntry.symbol) else {
            return reply(.failed(reason: "\(command.appImage) does not export \(ImageEntry.symbol)"))
        }
        typealias EntryFunction = @convention(c) () -> UnsafeMutableRawPointer
        let entry = Unmanaged<ImageEntry>.fromOpaque(unsafeBitCast(symbol, to: EntryFunction.self)()).takeRetainedValue()
        guard entry.depsHash == command.depsHash else {
            return reply(
                .refused(
                    reason: "refused \(command.appImage): it was compiled against deps image \(entry.depsHash), "
                        + "but this generation runs with \(command.depsHash)"))
        }
        current.withLock { $0 = Current(generation: command.generation, entry: entry, imageDirectory: imageDirectory) }
        return reply(.loaded)
    }
}
