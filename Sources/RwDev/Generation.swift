package import Foundation

/// One entry of the session's reload history.
package struct GenerationRecord: Codable, Sendable, Equatable {
    /// What happened to the attempt.
    package enum Outcome: String, Codable, Sendable {
        /// It is (or was) serving.
        case serving
        /// The app did not compile; the previous generation kept serving.
        case buildFailed
        /// The runner refused or failed to load the image.
        case loadFailed
        /// The runner crashed and was restarted with this generation; state was lost.
        case runnerRestarted
    }

    /// The generation number.
    package let number: Int
    /// When the reload started.
    package let startedAt: Date
    /// What caused it: the saved files, "start", or the runner's crash.
    package let trigger: String
    /// Milliseconds compiling and linking the app image.
    package let buildMilliseconds: Double
    /// Milliseconds loading it in the runner (0 when not loaded).
    package let loadMilliseconds: Double
    /// The deps image the generation runs with.
    package let depsHash: String
    /// The outcome.
    package let outcome: Outcome
    /// The compile and link steps of the build, in order (empty when nothing was built).
    package let steps: [BuildStep]
}
