import Foundation
import RwSubprocess
import RwTestSupport
import Testing

/// Production builds into ``Paths/releaseScratch``, one at a time, and each playground's once per
/// test run. `rw build` removes the folder's plan before SwiftPM starts, since SwiftPM would go on
/// with the plan made for the package built there last ("No target named … in build
/// description"); a build starting while another runs would wait for SwiftPM's lock with the
/// other's plan in place. Each app's executable keeps its own name in the folder, so a later build
/// of another app leaves it in place: building it again would only re-plan and relink it (25 s to
/// 90 s on 2 cores, for nothing).
enum ReleaseBuilds {
    private static let queue = Queue()

    /// Builds the app package at `package` for production, unless this test run built it already;
    /// returns `rw build`'s exit status (the first build's, for later calls).
    static func build(_ package: String) async throws -> Int32 {
        try await queue.build(package).value
    }

    /// Runs `work`, which builds in ``Paths/releaseScratch`` by other means (the Getting Started
    /// guide's `rw build`, pointed there by `RW_SCRATCH_PATH`), once the builds queued before it
    /// have ended, and before any queued after it starts.
    static func exclusively<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await queue.enqueue(work).value
    }

    /// The builds started so far, by package path; each starts once the one before it has ended.
    private actor Queue {
        private var builds: [String: Task<Int32, any Error>] = [:]
        private var last: Task<Void, Never>?

        func build(_ package: String) -> Task<Int32, any Error> {
            if let build = builds[package] { return build }
            let build = enqueue {
                try await ChildProcess.run(Paths.rw, ["build", "--package-path", package, "--scratch-path", Paths.releaseScratch.path])
            }
            builds[package] = build
            return build
        }

        func enqueue<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> Task<T, any Error> {
            let previous = last
            let task = Task {
                await previous?.value
                return try await work()
            }
            last = Task { _ = await task.result }
            return task
        }
    }
}
