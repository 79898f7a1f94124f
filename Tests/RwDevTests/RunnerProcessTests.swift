import Foundation
import RwState
import RwWire
import Synchronization
import Testing

@testable import RwDev

/// Awaits `body` for at most `limit`; `nil`, with a failed expectation naming `what`, when it did
/// not finish in time.
func bounded<T: Sendable>(
    _ what: String, within limit: Duration = .seconds(10), _ body: @escaping @Sendable () async -> T
) async -> T? {
    let result = await withTaskGroup(of: T?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        let first = await group.next()!
        group.cancelAll()
        return first
    }
    if result == nil { Issue.record("waited more than \(limit) for \(what)") }
    return result
}

/// One run of a runner, driven with a fake runner: its connection, its end, its stop, and that
/// nothing keeps an ended run alive.
@Suite(.timeLimit(.minutes(1))) struct RunnerProcessTests {
    @Test func aRunnerThatSaidHelloAnswersOnItsConnection() async throws {
        let (runner, fake) = try await FakeRunner.launch()
        #expect(runner.pid == fake.child.pid)
        #expect(runner.isRunning)
        let answer = await bounded("the fake's answer to a request") {
            try? await runner.client.request(.request, WireCodec.encode(RwRequest(method: "GET", target: "/hi")))
        }
        #expect(answer??.kind == .response)
        runner.stop()
    }

    @Test func aKilledRunnerEndsAsACrashWithItsSignal() async throws {
        let (runner, fake) = try await FakeRunner.launch()
        fake.crash()
        let exit = await bounded("the exit of a killed runner") { await runner.exit() }
        #expect(exit == .crashed(RunnerCrash(termination: .signaled(SIGKILL), stuck: nil, errorTail: [])))
        #expect(!runner.isRunning)
    }

    @Test func aStuckHandlersReportSentBeforeTheEndIsTheCrashsCause() async throws {
        let (runner, fake) = try await FakeRunner.launch(arguments: FakeRunner.stuckAtTerm)
        let stuck = StuckHandler(method: "GET", path: "/spin", timeoutSeconds: 1, graceSeconds: 1)
        try fake.send(Frame(.stuck, json: stuck))
        // The runner sends its report, then exits with the stuck status, and its connection closes.
        fake.crash(signal: SIGTERM)
        let exit = await bounded("the exit of a runner that stopped itself") { await runner.exit() }
        #expect(
            exit == .crashed(RunnerCrash(termination: .exited(RunnerProtocol.stuckHandlerExitStatus), stuck: stuck, errorTail: [])))
        if case .crashed(let crash)? = exit { #expect(crash.cause == .stuckHandler(stuck)) }
    }

    @Test func aStoppedRunnerIsNoCrash() async throws {
        let (runner, _) = try await FakeRunner.launch()
        let started = ContinuousClock.now
        runner.stop()
        #expect(ContinuousClock.now - started < .seconds(3), "the fake ends at SIGTERM, with no SIGKILL needed")
        #expect(!runner.isRunning)
        let exit = await bounded("the exit of a stopped runner") { await runner.exit() }
        #expect(exit == .stopped)
    }

    @Test func aRunnerThatKeepsSIGTERMBlockedIsKilledAfterThreeSeconds() async throws {
        let (runner, _) = try await FakeRunner.launch(executable: "/bin/sleep", arguments: ["600"])
        let started = ContinuousClock.now
        runner.stop()
        let took = ContinuousClock.now - started
        #expect(took >= .seconds(3) && took < .seconds(6), "SIGTERM is pending, SIGKILL ends it: \(took)")
        #expect(!runner.isRunning)
        #expect(await bounded("the exit of a stopped runner") { await runner.exit() } == .stopped)
    }

    @Test func anExitNotYetKnownGivesNilWithinALimit() async throws {
        let (runner, _) = try await FakeRunner.launch()
        #expect(await runner.exit(within: .milliseconds(50)) == nil)
        runner.stop()
    }

    @Test func anEndedRunIsFreedWithItsConnection() async throws {
        weak var ended: RunnerProcess?
        weak var client: MultiplexedClient?
        do {
            let (runner, fake) = try await FakeRunner.launch()
            ended = runner
            client = runner.client
            fake.crash()
            _ = await bounded("the exit of a killed runner") { await runner.exit() }
        }
        #expect(ended == nil, "nothing refers back to an ended run")
        // The connection's reading thread lets go of its client once the connection ended.
        let deadline = ContinuousClock.now + .seconds(5)
        while client != nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(client == nil, "the connection reader still held its client 5 s after the connection ended")
    }
}
