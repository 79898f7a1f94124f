package import Foundation

/// A Swift library target of the app's own package that the app target depends on (or the app
/// target itself). Every local target is reloadable: it is compiled by rw dev into an image of
/// its own, never into the deps image.
package struct LocalTarget: Sendable, Equatable {
    /// The target's name in Package.swift.
    package let name: String
    /// Its module name (the name with non-identifier characters as `_`).
    package let moduleName: String
    /// Its source folder (absolute).
    package let sourceDirectory: URL
    /// The local targets it depends on directly, by name.
    package let targetDependencies: [String]
    /// The products of other packages it depends on directly, by name.
    package let productDependencies: [String]

    /// Creates a description.
    package init(
        name: String, moduleName: String, sourceDirectory: URL, targetDependencies: [String], productDependencies: [String]
    ) {
        self.name = name
        self.moduleName = moduleName
        self.sourceDirectory = sourceDirectory
        self.targetDependencies = targetDependencies
        self.productDependencies = productDependencies
    }

    /// The target's Swift sources, sorted by path.
    package func sources() throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: sourceDirectory, includingPropertiesForKeys: nil) else {
            throw RwError("cannot read \(sourceDirectory.path)")
        }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" && !$0.lastPathComponent.hasPrefix(".") }
            .map(\.standardizedFileURL)
            .sorted { $0.path < $1.path }
    }

    /// Whether `file` (an absolute path) lies in the target's source folder.
    package func contains(_ file: String) -> Bool {
        let folder = sourceDirectory.standardizedFileURL.path
        return file.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
}
