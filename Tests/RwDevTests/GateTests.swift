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
        gate.close("build")
        gate.close("restart")
        let waiter = Task { await gate.pass(timeout: .seconds(60)) }
        #expect(await Self.eventually { gate.waiting == 1 }, "the request never started waiting at the closed gate")
        gate.open("build")
        #expect(gate.waiting == 1, "one reason is left, so the request still waits")
        #expect(gate.reason == "restart")
        gate.open("restart")
        #expect(await waiter.value)
        #expect(gate.reason == nil)
    }

    @Test func aClosedGateTimesOut() async {
        let gate = Gate()
        gate.close("build")
        #expect(await gate.pass(timeout: .milliseconds(20)) == false)
    }
}
