import NIOCore

/// A task executor that runs jobs on the event loops of a group: on the calling thread's loop
/// when the job is enqueued from one of them, else on the group's next loop.
///
/// The dev front runs its HTTP server's tasks with this executor preferred, on a group of one
/// loop. A connection's bytes arrive on that loop, the task waiting for them resumes on the same
/// thread, and the response is written there: a request costs no hop to Swift's global pool and
/// back, and a runner's answer wakes only that thread. Code in these tasks must not block: it
/// would hold up every connection of its loop.
///
/// Production keeps Swift's global pool: under many connections its threads run handlers beside
/// the loops' I/O, and serving from the loops alone measured slower there.
final class EventLoopExecutor: TaskExecutor {
    private let group: any EventLoopGroup

    /// An executor for the loops of `group`.
    init(_ group: any EventLoopGroup) {
        self.group = group
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        group.any().execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
