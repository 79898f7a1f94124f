import ArgumentParser
import Foundation
import RwDev

/// Where `rw build` compiles and `rw preview` finds the production build.
struct ReleaseBuildOptions: ParsableArguments {
    @Option(
        name: .customLong("scratch-path"),
        help: ArgumentHelp(
            "SwiftPM's build folder (default: the package's .build).",
            discussion: "Apps built into one scratch folder compile the dependencies they share, such as Hummingbird and SwiftNIO, once; useful for a CI cache. Pass the same folder to `rw preview`."),
        completion: .directory)
    var scratchPath: String?

    /// The arguments that point SwiftPM at the scratch folder, if one was given.
    var swiftBuildArguments: [String] {
        scratchPath.map { ["--scratch-path", URL(fileURLWithPath: $0).standardizedFileURL.path] } ?? []
    }
}
