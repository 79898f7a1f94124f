import Foundation
import RwState
import RwWire
import Synchronization

@testable import RwDev

/// A stand-in for `rw-runner` in unit tests: a sleeping process is its process (what the exit
/// watcher waits for, and what a test kills), and this object answers the front's frames on the
/// other end of a socket pair, as the test configures it. No SwiftPM, no build.
///
/// The process inherits the blocked signals of the thread that started it; like `rw-runner`,
/// the default one unblocks them, so that SIGTERM stops it.
final class FakeRunner: Sendable {
    /// How the fake answers.
    struct Behaviour: Sendable {
        /// Whether it answers requests (`false`: it never does, like a runner whose handler hangs).
        var answersRequests = true
        /// Whether loads load (`false`: they fail).
        var loads = true
    }

    /// The runner process.
    let child: RunnerProcess.Child
    /// Every frame the front sent, in order.
    let received: AsyncStream<Frame>
    private let connection: FrameConnection
    private let behaviour: Behaviour

    private init(child: RunnerProcess.Child, socket: UnixSocket, behaviour: Behaviour) {
        self.child = child
        self.behaviour = behaviour
        connection = FrameConnection(socket)
        let (stream, sink) = AsyncStream.makeStream(of: Frame.self)
        received = stream
        Thread { [connection] in
            _ = connection.read { frame, _ in
                sink.yield(frame)
                if let answer = Self.answer(to: frame, behaviour) { try? connection.send(answer) }
            }
            sink.finish()
        }.start()
    }

    /// A process that unblocks every signal and sleeps for 10 minutes.
    static let sleeper = ["-e", "use POSIX; sigprocmask(SIG_SETMASK, POSIX::SigSet->new); sleep 600"]

    /// A process that unblocks every signal and sleeps, and exits with the stuck handler status
    /// at SIGTERM.
    static let stuckAtTerm = [
        "-e",
        "use POSIX; sigprocmask(SIG_SETMASK, POSIX::SigSet->new); $SIG{TERM} = sub { exit \(RunnerProtocol.stuckHandlerExitStatus) }; sleep 600"
    ]

    /// Starts a fake runner, says hello, and returns the front's run of it and the fake.
    static func launch(
        _ behaviour: Behaviour = Behaviour(), executable: String = "/usr/bin/perl", arguments: [String] = sleeper
    ) async throws -> (RunnerProcess, FakeRunner) {
        let (front, runnerEnd) = try UnixSocket.pair()
        let child = try await RunnerProcess.Child.spawn(
            URL(fileURLWithPath: executable), arguments: arguments, terminal: Terminal())
        let fake = FakeRunner(child: child, socket: runnerEnd, behaviour: behaviour)
        try fake.connection.send(Frame(.hello, json: RunnerHello(pid: child.pid)))
        return (try await RunnerProcess.attach(child, through: front), fake)
    }

    /// Sends `frame` to the front, as the runner does with its ``Frame/Kind/stuck`` report.
    func send(_ frame: Frame) throws {
        try connection.send(frame)
    }

    /// Ends as a crashing runner does: its process gets `signal` and its connection closes.
    func crash(signal: Int32 = SIGKILL) {
        kill(child.pid, signal)
        connection.shutdown()
    }

    private static func answer(to frame: Frame, _ behaviour: Behaviour) -> Frame? {
        switch frame.kind {
        case .load:
            let outcome: LoadOutcome = behaviour.loads ? .loaded : .failed(reason: "the fake does not load")
            return Frame(.loaded, stream: frame.stream, json: LoadReply(outcome, loadMilliseconds: 1))
        case .request:
            guard behaviour.answersRequests, let request = try? WireCodec.decodeRequest(frame.payload) else { return nil }
            return Frame(.response, stream: frame.stream, WireCodec.encode(RwResponse(text: "fake \(request.path)")))
        case .state:
            return Frame(.stateList, stream: frame.stream, json: StateListing(entries: [], globals: []))
        default:
            return nil
        }
    }
}
