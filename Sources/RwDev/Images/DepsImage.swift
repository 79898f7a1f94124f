import Foundation

/// A built deps image: the framework and the app's imported packages in one shared library,
/// named by the hash of what it contains.
public struct DepsImage: Sendable, Equatable {
    /// The content hash (12 hex digits).
    public let hash: String
    /// The library file, `libRwDeps-<hash>.so`.
    public let path: URL
    /// The modules inside it.
    public let modules: [String]
    /// The folder of compiled module interfaces app images are compiled against.
    public let modulesDirectory: URL
    /// The folder holding `libRwState.so`.
    public let stateDirectory: URL
    /// Compiler flags that make the deps image's C modules visible to app code.
    public let clangFlags: [String]
}

/// Builds deps images: RwSDK and the app's dependencies, without RwState, linked from SwiftPM's
/// debug objects.
struct DepsImageBuilder: Sendable {
    let package: DevPackage
    let terminal: Terminal

    /// The folder of `libRwState.so` and the runner.
    var stateDirectory: URL { package.cacheDirectory.appendingPathComponent("dev") }

    /// Compiles `targets` with SwiftPM (only their own dependency graph, not the rest of their
    /// packages) and reads the build manifest.
    func compile(targets: [String]) async throws -> BuildManifest {
        let progress = terminal.progress("compiling dependencies (\(targets.joined(separator: ", "))) with SwiftPM")
        for target in targets {
            let result = try await Subprocess.run(["swift", "build", "--package-path", package.directory.path, "--target", target])
            guard result.succeeded else {
                progress.finish(failed: true)
                throw DevError("SwiftPM could not build \(target):\n\(result.output)\(result.errors)")
            }
        }
        let binPath = try Subprocess.capture(["swift", "build", "--package-path", package.directory.path, "--show-bin-path"])
        let manifest = try BuildManifest(
            path: package.directory.appendingPathComponent(".build/debug.yaml").path,
            binDirectory: URL(fileURLWithPath: binPath.trimmingCharacters(in: .whitespacesAndNewlines)))
        progress.finish(detail: nil)
        return manifest
    }

    /// Links a deps image holding `roots` (module names) and everything they import except
    /// RwState, from `manifest`'s objects. Reuses a deps image already on disk with the same hash.
    func link(roots: [String], from manifest: BuildManifest) async throws -> DepsImage {
        let depsDirectory = package.cacheDirectory.appendingPathComponent("deps")
        try FileManager.default.createDirectory(at: depsDirectory, withIntermediateDirectories: true)
        let modules = try manifest.closure(of: roots)
        guard modules.contains("RwState") else {
            throw DevError("the app's dependencies do not include RwState; does the app target depend on RwSDK?")
        }
        let depsModules = modules.filter { $0 != "RwState" }
        let depsObjects = depsModules.flatMap { manifest.modules[$0]?.objects ?? [] }
        var hash = StableHash()
        hash.combine(try Self.toolchainVersion.get())
        hash.combine(depsModules.sorted().joined(separator: ","))
        for object in depsObjects.sorted() {
            let attributes = try FileManager.default.attributesOfItem(atPath: object)
            hash.combine(object)
            hash.combine("\(attributes[.size] ?? 0)/\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        }
        let image = DepsImage(
            hash: hash.short,
            path: depsDirectory.appendingPathComponent("libRwDeps-\(hash.short).so"),
            modules: depsModules,
            modulesDirectory: manifest.binDirectory.appendingPathComponent("Modules"),
            stateDirectory: stateDirectory,
            clangFlags: manifest.clangFlags(of: modules)
        )
        if !FileManager.default.fileExists(atPath: image.path.path) {
            let progress = terminal.progress("linking deps image \(image.hash)")
            do {
                _ = try await ImageLinker.link(
                    objects: depsObjects, into: image.path,
                    against: [ImageLinker.Library(path: stateDirectory.appendingPathComponent("libRwState.so"))])
            } catch {
                progress.finish(failed: true)
                throw error
            }
            progress.finish(detail: nil)
        }
        terminal.info("deps image \(image.hash) · \(depsModules.sorted().joined(separator: ", "))")
        return image
    }

    /// `swiftc --version`, asked once per process.
    private static let toolchainVersion = Result { try Subprocess.capture(["swiftc", "--version"]) }
}
