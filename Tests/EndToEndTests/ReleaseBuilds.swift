import Foundation

/// `rw build` of the playgrounds into ``Paths/releaseScratch``, one at a time. `rw build` removes
/// the folder's plan before SwiftPM starts, since SwiftPM would go on with the plan made for the
/// package built there last ("No target named … in build description"); a build starting while
/// another runs would wait for SwiftPM's lock with the other's plan in place.
enum ReleaseBuilds {
    private static let turnstile = Turnstile()

    /// Builds the app package at `package` for production; returns `rw build`'s exit status.
    static func build(_ package: String) async throws -> Int32 {
        await turnstile.enter()
        do {
            let status = try await ChildProcess.run(Paths.rw, ["build", "--package-path", package, "--scratch-path", Paths.releaseScratch.path])
            await turnstile.leave()
            return status
        } catch {
            await turnstile.leave()
            throw error
        }
    }

    /// Lets one task through at a time, in the order they came.
    private actor Turnstile {
        private var occupied = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func enter() async {
            guard occupied else {
                occupied = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty {
                occupied = false
            } else {
                waiting.removeFirst().resume()
            }
        }
    }
}
