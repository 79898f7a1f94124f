import RwSubprocess
import RwWire
import Testing

@testable import RwDev

/// The runner's life alone: every transition and the actions it returns, with no process.
@Suite struct RunnerLifeTests {
    static let crash = RunnerCrash(cause: .signal(9), detail: "killed")
    static let command = LoadCommand(generation: 3, appImage: "/tmp/gen3.so", depsHash: "d1")
    static let loaded = LoadReply(.loaded, loadMilliseconds: 12)

    /// A life serving runner 10, which loaded ``command``.
    static func serving() -> RunnerLife {
        var life = RunnerLife()
        _ = life.start()
        _ = life.helloReceived(pid: 10)
        _ = life.loadAnswered(command, loaded)
        return life
    }

    @Test func startsOnceAndServesAfterTheHello() {
        var life = RunnerLife()
        #expect(life.route == .wait)
        #expect(life.start() == [.launch])
        #expect(life.start() == [], "a second start launches nothing")
        #expect(life.state == .starting)
        #expect(life.route == .wait, "requests wait while the first runner starts")
        #expect(life.helloReceived(pid: 10) == [.release(pid: 10)])
        #expect(life.state == .serving(pid: 10))
        #expect(life.route == .send(pid: 10))
        #expect(life.helloReceived(pid: 11) == [], "a hello while serving changes nothing")
    }

    @Test func aFailedFirstStartRefusesWaitingRequests() {
        var life = RunnerLife()
        _ = life.start()
        #expect(life.launchFailed("no hello") == [.refuse("the runner could not be started: no hello")])
        #expect(life.route == .refuse("the runner could not be started: no hello"))
    }

    @Test func onlyLoadsThatLoadedAreReplayed() {
        var life = Self.serving()
        let failed = LoadCommand(generation: 4, appImage: "/tmp/gen4.so", depsHash: "d1")
        #expect(life.loadAnswered(failed, LoadReply(.failed(reason: "missing symbol"), loadMilliseconds: 1)) == [])
        #expect(life.lastLoad == Self.command)
    }

    @Test func aCrashRestartsAndReplaysTheLastLoadBeforeServing() {
        var life = Self.serving()
        #expect(life.exited(pid: 10, .crashed(Self.crash)) == [.report(.crashed(Self.crash)), .launch])
        #expect(life.state == .restarting(after: Self.crash))
        #expect(life.route == .wait, "requests wait while the runner restarts")
        #expect(life.helloReceived(pid: 20) == [.replay(Self.command, pid: 20)])
        #expect(life.state == .replaying(pid: 20, after: Self.crash))
        #expect(life.route == .wait, "requests wait until the last generation is loaded again")
        #expect(life.replayed(pid: 21, reply: Self.loaded) == [], "a reply from another runner is ignored")
        #expect(
            life.replayed(pid: 20, reply: Self.loaded) == [
                .release(pid: 20), .report(.restarted(after: Self.crash, generation: 3, reply: Self.loaded))
            ])
        #expect(life.route == .send(pid: 20))
    }

    @Test func aRestartWithNothingLoadedServesAtOnce() {
        var life = RunnerLife()
        _ = life.start()
        _ = life.helloReceived(pid: 10)
        _ = life.exited(pid: 10, .crashed(Self.crash))
        #expect(
            life.helloReceived(pid: 20) == [.release(pid: 20), .report(.restarted(after: Self.crash, generation: nil, reply: nil))])
        #expect(life.state == .serving(pid: 20))
    }

    @Test func aCrashWhileReplayingIsToldAfterTheReplayAndRestartsAgain() {
        var life = Self.serving()
        _ = life.exited(pid: 10, .crashed(Self.crash))
        _ = life.helloReceived(pid: 20)
        let second = RunnerCrash(cause: .exitStatus(1), detail: "")
        #expect(life.exited(pid: 20, .crashed(second)) == [])
        let failed = LoadReply(.failed(reason: "the runner did not answer: closed"), loadMilliseconds: 0)
        #expect(
            life.replayed(pid: 20, reply: failed) == [
                .release(pid: 20), .report(.restarted(after: Self.crash, generation: 3, reply: failed)),
                .report(.crashed(second)), .launch
            ])
        #expect(life.state == .restarting(after: second))
    }

    @Test func aFailedRestartRefusesRequestsFromThenOn() {
        var life = Self.serving()
        _ = life.exited(pid: 10, .crashed(Self.crash))
        #expect(
            life.launchFailed("no hello within 60 s") == [
                .refuse("the runner could not be restarted: no hello within 60 s"), .report(.restartFailed("no hello within 60 s"))
            ])
        #expect(life.route == .refuse("the runner could not be restarted: no hello within 60 s"))
        #expect(life.launchFailed("again") == [], "a failed state is left only by nothing")
    }

    @Test func endsOfOtherRunnersAndStopsAreNoCrash() {
        var life = Self.serving()
        #expect(life.exited(pid: 10, .stopped) == [])
        #expect(life.exited(pid: 99, .crashed(Self.crash)) == [], "a runner that is not the serving one")
        #expect(life.state == .serving(pid: 10))
    }

    @Test func anUnansweredRequestKillsOnlyTheServingRunner() {
        var life = Self.serving()
        #expect(
            life.unanswered(pid: 10, method: "GET", path: "/spin", seconds: 5.5) == [
                .report(.unresponsive(method: "GET", path: "/spin", seconds: 5.5)), .kill(pid: 10)
            ])
        #expect(life.unanswered(pid: 9, method: "GET", path: "/", seconds: 1) == [], "an earlier runner is not killed again")
        _ = life.exited(pid: 10, .crashed(Self.crash))
        #expect(life.unanswered(pid: 10, method: "GET", path: "/", seconds: 1) == [], "nor one that crashed already")
    }

    @Test func stopStopsTheCurrentRunnerAndRefusesFromThenOn() {
        var life = Self.serving()
        #expect(life.stop() == [.stop(pid: 10), .refuse(RunnerLife.stoppingReason), .finish])
        #expect(life.route == .refuse(RunnerLife.stoppingReason))
        #expect(life.stop() == [], "stopping twice does nothing")
        #expect(life.helloReceived(pid: 30) == [.stop(pid: 30)], "a runner that started meanwhile is stopped")
        #expect(life.exited(pid: 10, .crashed(Self.crash)) == [], "nothing restarts once stopped")
    }

    @Test func stopWhileRestartingHasNoRunnerToStop() {
        var life = Self.serving()
        _ = life.exited(pid: 10, .crashed(Self.crash))
        #expect(life.stop() == [.refuse(RunnerLife.stoppingReason), .finish])
        #expect(life.launchFailed("listener closed") == [])
    }
}

/// When the end of a runner process is known: after the process, its error output and its
/// connection ended, or after the drain limit.
@Suite struct RunnerEndingTests {
    @Test func reportsOnceEverythingEndedInAnyOrder() {
        var ending = RunnerEnding()
        #expect(ending.connected() == .none)
        #expect(ending.errorsEnded() == .none)
        #expect(ending.terminated(.signaled(4)) == .waitForDrain, "the connection may still bring a stuck handler's report")
        #expect(ending.connectionEnded() == .report(.signaled(4), stopped: false))
        #expect(ending.drainLimitPassed() == .none, "reported once")
        #expect(ending.terminated(.exited(0)) == .none)
    }

    @Test func reportsAtOnceWhenOutputAndConnectionEndedFirst() {
        var ending = RunnerEnding()
        _ = ending.connected()
        _ = ending.connectionEnded()
        _ = ending.errorsEnded()
        #expect(ending.terminated(.exited(86)) == .report(.exited(86), stopped: false))
    }

    @Test func withoutAConnectionOnlyTheErrorOutputIsWaitedFor() {
        var ending = RunnerEnding()
        #expect(ending.terminated(.exited(1)) == .waitForDrain)
        #expect(ending.errorsEnded() == .report(.exited(1), stopped: false))
    }

    @Test func theDrainLimitReportsWhatCame() {
        var ending = RunnerEnding()
        _ = ending.connected()
        #expect(ending.drainLimitPassed() == .none, "nothing to report before the process ended")
        _ = ending.stopRequested()
        #expect(ending.terminated(.signaled(15)) == .waitForDrain)
        #expect(ending.drainLimitPassed() == .report(.signaled(15), stopped: true))
        #expect(ending.errorsEnded() == .none)
    }
}

/// How a runner's end reads as a crash.
@Suite struct RunnerCrashTests {
    static let stuck = StuckHandler(method: "GET", path: "/spin", timeoutSeconds: 1, graceSeconds: 1)

    @Test func aSignalPutsTheTrapMessageBeforeTheTail() {
        let crash = RunnerCrash(
            termination: .signaled(4), stuck: nil, errorTail: ["starting", "Fatal error: Unexpectedly found nil", "#0 frame"])
        #expect(crash.cause == .signal(4))
        #expect(crash.detail == "Fatal error: Unexpectedly found nil\n\nstarting\nFatal error: Unexpectedly found nil\n#0 frame")
        #expect(crash.reason.hasPrefix("signal 4 (SIGILL"))
    }

    @Test func theStuckStatusWithAReportIsAStuckHandler() {
        let crash = RunnerCrash(termination: .exited(RunnerProtocol.stuckHandlerExitStatus), stuck: Self.stuck, errorTail: [])
        #expect(crash.cause == .stuckHandler(Self.stuck))
        #expect(crash.detail.hasPrefix("\(RunnerProtocol.messagePrefix) \(Self.stuck)"))
        let unreported = RunnerCrash(termination: .exited(RunnerProtocol.stuckHandlerExitStatus), stuck: nil, errorTail: [])
        #expect(unreported.cause == .exitStatus(RunnerProtocol.stuckHandlerExitStatus), "without its report it is a plain exit")
    }
}
