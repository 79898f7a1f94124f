import Foundation
import RwState
import RwWire
import Synchronization
import Testing

@testable import RwDev

/// The supervisor with fake runners: hello, serving, a crash and its restart with the last load
/// replayed, an unresponsive runner killed, stop.
@Suite(.timeLimit(.minutes(1))) struct RunnerSupervisorTests {
    /// Starts fake runners for a supervisor and keeps them for the test.
    final class FakeLauncher: Sendable {
        private let state = Mutex<[FakeRunner]>([])
        private let weakRuns = Mutex<[WeakRun]>([])
        let behaviour: FakeRunner.Behaviour

        struct WeakRun: @unchecked Sendable { weak var run: RunnerProcess? }

        init(_ behaviour: FakeRunner.Behaviour = FakeRunner.Behaviour()) { self.behaviour = behaviour }

        var launcher: RunnerSupervisor.Launcher {
            RunnerSupervisor.Launcher(
                launch: { [self] in
                    let (run, fake) = try await FakeRunner.launch(behaviour)
                    state.withLock { $0.append(fake) }
                    weakRuns.withLock { $0.append(WeakRun(run: run)) }
                    return run
                },
                close: {})
        }

        /// The fakes started so far, oldest first.
        var fakes: [FakeRunner] { state.withLock { $0 } }
        /// Whether the run started `index`th is still alive.
        func isAlive(_ index: Int) -> Bool { weakRuns.withLock { $0[index].run != nil } }
    }

    /// The supervisor's events as they come, for the test to wait for one by one.
    final class EventLog: Sendable {
        private let events = Mutex<[RunnerEvent]>([])
        private let taken = Mutex(0)

        init(_ stream: AsyncStream<RunnerEvent>) {
            Task { [self] in
                for await event in stream { events.withLock { $0.append(event) } }
            }
        }

        /// The next event, waited for at most `limit`; `nil`, failing the test, when none came.
        func next(_ what: String, within limit: Duration = .seconds(10)) async -> RunnerEvent? {
            let index = taken.withLock { $0 }
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let event = events.withLock({ $0.count > index ? $0[index] : nil }) {
                    taken.withLock { $0 += 1 }
                    return event
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
            Issue.record("waited more than \(limit) for \(what)")
            return nil
        }

        /// Every event so far.
        var all: [RunnerEvent] { events.withLock { $0 } }
    }

    static let image = LoadCommand(generation: 1, appImage: "/tmp/gen1.so", depsHash: "d")

    @Test func servesAfterTheHelloAndForwardsRequests() async throws {
        let launcher = FakeLauncher()
        let supervisor = RunnerSupervisor(launcher: launcher.launcher, requestTimeout: nil)
        try await supervisor.start()
        #expect(supervisor.runnerPID == launcher.fakes.first?.child.pid)
        let outcome = await bounded("a forwarded request") { await supervisor.forward(RwRequest(method: "GET", target: "/a")) }
        guard case .response(let response) = outcome else {
            Issue.record("expected a response, got \(String(describing: outcome))")
            return
        }
        #expect(String(decoding: response.body, as: UTF8.self) == "fake /a")
        supervisor.stop()
    }

    @Test func aCrashRestartsTheRunnerWithTheLastLoadAndFreesTheCrashedRun() async throws {
        let launcher = FakeLauncher()
        let supervisor = RunnerSupervisor(launcher: launcher.launcher, requestTimeout: nil)
        try await supervisor.start()
        let reply = await bounded("the first load") { await supervisor.load(Self.image) }
        #expect(reply?.outcome == .loaded)
        let events = EventLog(supervisor.events)
        let first = try #require(launcher.fakes.first)
        first.crash()
        let crashed = await events.next("the crash event")
        #expect(crashed == .crashed(RunnerCrash(termination: .signaled(SIGKILL), stuck: nil, errorTail: [])))
        // A request sent meanwhile waits for the restarted runner.
        let outcome = Task { await supervisor.forward(RwRequest(method: "GET", target: "/after")) }
        let restarted = await events.next("the restarted event")
        guard case .restarted(_, let generation, let replay)? = restarted else {
            Issue.record("expected the restarted event, got \(String(describing: restarted))")
            return
        }
        #expect(generation == 1)
        #expect(replay?.outcome == .loaded)
        #expect(launcher.fakes.count == 2)
        let second = launcher.fakes[1]
        #expect(supervisor.runnerPID == second.child.pid)
        let answer = await bounded("the request held during the restart") { await outcome.value }
        if case .response(let response)? = answer {
            #expect(String(decoding: response.body, as: UTF8.self) == "fake /after")
        } else {
            Issue.record("expected a response from the restarted runner, got \(String(describing: answer))")
        }
        // The replayed load reached the new runner.
        var frames = second.received.makeAsyncIterator()
        let replayed = await frames.next()
        #expect(replayed?.kind == .load)
        #expect(try replayed?.decode(LoadCommand.self) == Self.image)
        #expect(!launcher.isAlive(0), "the crashed run was freed (nothing refers back to it)")
        supervisor.stop()
    }
}

extension RunnerSupervisorTests {
    @Test func anUnresponsiveRunnerIsKilledAndRestarted() async throws {
        let launcher = FakeLauncher(FakeRunner.Behaviour(answersRequests: false))
        let supervisor = RunnerSupervisor(
            launcher: launcher.launcher, requestTimeout: .milliseconds(100), answerMargin: .milliseconds(200))
        let events = EventLog(supervisor.events)
        try await supervisor.start()
        let outcome = await bounded("the answer to a request the runner never answers") {
            await supervisor.forward(RwRequest(method: "GET", target: "/spin"))
        }
        guard case .unresponsive(let seconds)? = outcome else {
            Issue.record("expected unresponsive, got \(String(describing: outcome))")
            return
        }
        #expect(abs(seconds - 0.3) < 0.01)
        #expect(await events.next("the unresponsive event") == .unresponsive(method: "GET", path: "/spin", seconds: seconds))
        let crashed = await events.next("the crash of the killed runner")
        guard case .crashed(let crash)? = crashed else {
            Issue.record("expected a crash, got \(String(describing: crashed))")
            return
        }
        #expect(crash.cause == .signal(SIGKILL))
        #expect(await events.next("the restart") == .restarted(after: crash, generation: nil, reply: nil))
        #expect(supervisor.runnerPID == launcher.fakes.last?.child.pid)
        #expect(launcher.fakes.count == 2)
        supervisor.stop()
    }

    @Test func aRunnerThatCannotBeRestartedFailsRequestsWithTheReason() async throws {
        let failing = Mutex(false)
        let launcher = FakeLauncher()
        let supervisor = RunnerSupervisor(
            launcher: RunnerSupervisor.Launcher(
                launch: {
                    if failing.withLock({ $0 }) { throw RwError("no hello within 60 s") }
                    return try await launcher.launcher.launch()
                }, close: {}),
            requestTimeout: nil)
        let events = EventLog(supervisor.events)
        try await supervisor.start()
        failing.withLock { $0 = true }
        launcher.fakes[0].crash()
        _ = await events.next("the crash event")
        #expect(await events.next("the failed restart") == .restartFailed("no hello within 60 s"))
        let outcome = await bounded("the answer without a runner") { await supervisor.forward(RwRequest(method: "GET", target: "/")) }
        guard case .crashed(nil, let cause)? = outcome else {
            Issue.record("expected a refusal, got \(String(describing: outcome))")
            return
        }
        #expect(cause == "the runner could not be restarted: no hello within 60 s")
        #expect(supervisor.runnerPID == nil)
        supervisor.stop()
    }

    @Test func stopIsNoCrashAndEndsTheEventsAndRefusesRequests() async throws {
        let launcher = FakeLauncher()
        let supervisor = RunnerSupervisor(launcher: launcher.launcher, requestTimeout: nil)
        try await supervisor.start()
        supervisor.stop()
        let remaining = await bounded("the end of the events after stop") {
            var events: [RunnerEvent] = []
            for await event in supervisor.events { events.append(event) }
            return events
        }
        #expect(remaining == [], "a stopped runner is no crash")
        #expect(await launcher.fakes[0].child.exit(within: .seconds(5)) == .stopped)
        let reply = await supervisor.load(Self.image)
        #expect(reply.outcome == .failed(reason: "the runner is not running: \(RunnerLife.stoppingReason)"))
    }
}
