import Dispatch
import Foundation
import RwSDK
import Synchronization
import Testing

/// `offload` runs slow synchronous work off the cooperative pool.
@Suite(.timeLimit(.minutes(1))) struct OffloadTests {
    /// More blocking calls than the cooperative pool has threads all run at once: each waits
    /// until every one of them has started, which could never happen on the cooperative pool.
    @Test func blockingWorkRunsBesideTheCooperativePool() async throws {
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        let started = Arrivals()
        let allStarted = DispatchSemaphore(value: 0)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await offload {
                        if started.count.add(1, ordering: .acquiringAndReleasing).newValue == count {
                            for _ in 0..<count { allStarted.signal() }
                        }
                        // Blocks this thread until all have started; a bound, so a failure fails.
                        return allStarted.wait(timeout: .now() + 20) == .success
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == count)
        #expect(results.allSatisfy { $0 }, "\(results.filter { !$0 }.count) of \(count) calls never saw all the others start")
    }

    final class Arrivals: Sendable {
        let count = Atomic<Int>(0)
    }

    @Test func resultsAndErrorsComeBack() async throws {
        struct Refused: Error, Equatable {}
        #expect(try await offload { (1...10).reduce(0, +) } == 55)
        await #expect(throws: Refused.self) { try await offload { () throws -> Int in throw Refused() } }
    }
}
