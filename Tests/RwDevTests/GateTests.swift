import Testing

@testable import RwDev

/// The gate that holds requests during a build or a runner restart. Every wait is bounded, and
/// the suite has a time limit, so a gate that never lets a request through fails the run instead
/// of hanging it.
@Suite(.timeLimit(.minutes(1))) struct GateTests {
    /// Yields until `condition` holds or `timeout` passes; returns whether it held.
    static func eventually(within timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            await Task.yield()
        }
        return true
    }

    @Test func waitsWhileClosedAndOpensWhenEveryReasonIsOver() async {
        let gate = Gate()
        #expect(await gate.pass(timeout: .seconds(1)))
        let build = gate.close(.building(generation: 2))
        let restart = gate.close(.restartingRunner)
        let waiter = Task { await gate.pass(timeout: .seconds(60)) }
        #expect(await Self.eventually { gate.waiting == 1 }, "the request never started waiting at the closed gate")
        gate.open(build)
        gate.open(build)
        #expect(gate.waiting == 1, "one hold is left (opening a token twice ends only its own hold), so the request still waits")
        #expect(gate.reason == "restarting the runner")
        gate.open(restart)
        #expect(await waiter.value)
        #expect(gate.reason == nil)
    }

    @Test func aClosedGateTimesOut() async {
        let gate = Gate()
        _ = gate.close(.building(generation: 1))
        #expect(await gate.pass(timeout: .milliseconds(20)) == false)
    }
}
