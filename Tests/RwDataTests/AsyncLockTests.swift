import Synchronization
import Testing

@testable import RwData

/// The lock SQLite's backend lends its connection under: statements share it, transactions and
/// migrations hold it alone, and waiters are let in by arrival order.
@Suite(.timeLimit(.minutes(10))) struct AsyncLockTests {
    /// Waits (yielding, never sleeping) until `lock` has `count` waiters.
    static func waitForWaiters(_ lock: AsyncLock, _ count: Int) async {
        while lock.waiterCount < count { await Task.yield() }
    }

    /// Records which holds were taken, in order.
    final class Log: Sendable {
        let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    @Test func sharedHoldersHoldAtOnceWithoutWaiting() async {
        let lock = AsyncLock()
        await lock.acquire(.shared)
        await lock.acquire(.shared)  // would never return if shared holds excluded each other
        #expect(lock.waiterCount == 0)
        lock.release(.shared)
        lock.release(.shared)
        await lock.acquire(.exclusive)
        lock.release(.exclusive)
    }

    @Test func anExclusiveHolderWaitsForTheSharedOnesAndKeepsLaterSharedOnesOut() async {
        let lock = AsyncLock()
        let log = Log()
        await lock.acquire(.shared)
        let exclusive = Task {
            await lock.acquire(.exclusive)
            log.add("exclusive")
            lock.release(.exclusive)
        }
        await Self.waitForWaiters(lock, 1)
        // A shared caller after the waiting exclusive one waits too, though the lock is shared now.
        let lateShared = Task {
            await lock.acquire(.shared)
            log.add("late shared")
            lock.release(.shared)
        }
        await Self.waitForWaiters(lock, 2)
        #expect(log.all.isEmpty)
        lock.release(.shared)
        await exclusive.value
        await lateShared.value
        #expect(log.all == ["exclusive", "late shared"])
    }

    @Test func releasingAnExclusiveHoldLetsInEverySharedWaiterUpToTheNextExclusiveOne() async {
        let lock = AsyncLock()
        let log = Log()
        await lock.acquire(.exclusive)
        var tasks: [Task<Void, Never>] = []
        for (index, mode) in [AsyncLock.Mode.shared, .shared, .exclusive, .shared].enumerated() {
            tasks.append(
                Task {
                    await lock.acquire(mode)
                    log.add("\(index) in")
                    // The two first shared holders are in together: each waits for the other's entry.
                    if index < 2 { while log.all.filter({ $0.hasSuffix(" in") }).count < 2 { await Task.yield() } }
                    log.add("\(index) out")
                    lock.release(mode)
                })
            await Self.waitForWaiters(lock, index + 1)
        }
        lock.release(.exclusive)
        for task in tasks { await task.value }
        let order = log.all
        #expect(Set(order.prefix(2)) == ["0 in", "1 in"])
        #expect(Array(order.suffix(4)) == ["2 in", "2 out", "3 in", "3 out"])
    }
}
