import ArgumentParser
import Foundation
import RwDev

/// Where `rw build` compiles and `rw preview` finds the production build.
struct ReleaseBuildOptions: ParsableArguments {
    @Option(
        name: .customLong("scratch-path"),
        help: ArgumentHelp(
            "SwiftPM's build folder (default: $RW_SCRATCH_PATH, or else the package's .build).",
            discussion:
                "Apps built into one scratch folder compile the dependencies they share, such as Hummingbird and SwiftNIO, once; useful for a CI cache (set RW_SCRATCH_PATH once for every `rw build` and `rw preview`). The build plan is made anew each time, as another app may have built there last. Build one app at a time in a folder, and pass the same folder to `rw preview`."
        ),
        completion: .directory)
    var scratchPathOption: String?

    /// The variable that names the scratch folder when `--scratch-path` is not given.
    static let environmentVariable = "RW_SCRATCH_PATH"

    /// The scratch folder: `--scratch-path`, else a non-empty `RW_SCRATCH_PATH`, else `nil` (the
    /// package's own `.build`).
    var scratchPath: String? {
        scratchPathOption ?? ProcessInfo.processInfo.environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Removes SwiftPM's build plans (`*.yaml`) from the scratch folder, if one was given. SwiftPM
    /// keeps a plan while the sources it watches are unchanged, so after another app's build it
    /// would use that app's plan ("No target named … in build description").
    func forgetPlans() throws {
        guard let scratchPath else { return }
        let folder = URL(fileURLWithPath: scratchPath).standardizedFileURL
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".yaml") {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The arguments that point SwiftPM at the scratch folder, if one was given.
    var swiftBuildArguments: [String] {
        scratchPath.map { ["--scratch-path", URL(fileURLWithPath: $0).standardizedFileURL.path] } ?? []
    }
}
