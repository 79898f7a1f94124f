import Foundation

/// Why a reload runs: the files saved since the last one, sorted by what they belong to.
struct ReloadCause: Sendable, Equatable {
    /// The saved files (absolute paths); `nil` when unknown, such as at start.
    var files: [String]?
    /// Whether the app package's Package.swift changed.
    var packageChanged = false
    /// Saved files of packages the app depends on by path: their modules are in the deps image,
    /// so they need a re-optimization.
    var dependencyFiles: [String] = []

    /// No file: the first build of a session.
    init() {}

    /// Sorts `files` (absolute paths) for `package`.
    init(files: [String], package: DevPackage) {
        self.files = files
        packageChanged = files.contains(package.directory.appendingPathComponent("Package.swift").standardizedFileURL.path)
        dependencyFiles = files.filter { file in
            package.target(containing: file) == nil
                && package.pathDependencies.contains { file.hasPrefix($0.path + "/") }
        }
    }
}
