import NIOCore

/// A task executor that runs jobs on one event loop's thread.
///
/// The front's HTTP server runs on a one-thread event loop group under this executor (as the
/// preferred executor of its tasks): the connection's bytes, the handler's task and the response
/// write share that thread, so a request costs no hop to Swift's global pool and back, and a
/// runner's answer wakes that one thread. Code in this preference must not block: it would stall
/// every connection.
final class EventLoopExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    /// An executor for `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
