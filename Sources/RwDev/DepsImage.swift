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
    /// The runner executable linked against this session's `libRwState.so`.
    public let runner: URL
    /// Compiler flags that make the deps image's C modules visible to app code.
    public let clangFlags: [String]

    /// The linker name of the library (`-l` argument).
    var linkName: String { "RwDeps-\(hash)" }
}

/// Builds the session's shared layer: `libRwState.so` (loaded once by the runner), the runner
/// executable, and the deps image (RwSDK and the app's dependencies, without RwState).
struct DepsImageBuilder: Sendable {
    let package: DevPackage
    let terminal: Terminal

    /// Compiles the `targets` building `roots` with SwiftPM (only their own dependency graph, not
    /// the rest of their packages), then links a deps image holding `roots` (module names)
    /// and everything they import except RwState. Reuses a deps image already on disk with the
    /// same hash. With `linkingSession`, also links `libRwState.so` and the runner: only at start,
    /// never while a runner has them loaded.
    func build(roots: [String], targets: [String], linkingSession: Bool) async throws -> DepsImage {
        let cache = package.cacheDirectory
        let stateDirectory = cache.appendingPathComponent("dev")
        let depsDirectory = cache.appendingPathComponent("deps")
        for folder in [stateDirectory, depsDirectory] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        let progress = terminal.progress("compiling dependencies (\(targets.joined(separator: ", "))) with SwiftPM")
        for target in targets {
            let result = try await Subprocess.run(["swift", "build", "--package-path", package.directory.path, "--target", target])
            guard result.succeeded else {
                progress.finish(failed: true)
                throw RwError("SwiftPM could not build \(target):\n\(result.output)\(result.errors)")
            }
        }
        let binPath = try Subprocess.capture(["swift", "build", "--package-path", package.directory.path, "--show-bin-path"])
        let binDirectory = URL(fileURLWithPath: binPath.trimmingCharacters(in: .whitespacesAndNewlines))
        let manifest = try BuildManifest(
            path: package.directory.appendingPathComponent(".build/debug.yaml").path,
            binDirectory: binDirectory
        )
        let modules = try manifest.closure(of: roots)
        guard let state = manifest.modules["RwState"], modules.contains("RwState") else {
            throw RwError("the app's dependencies do not include RwState; does the app target depend on RwSDK?")
        }
        let depsModules = modules.filter { $0 != "RwState" }
        let depsObjects = depsModules.flatMap { manifest.modules[$0]?.objects ?? [] }

        if linkingSession {
            let stateLibrary = stateDirectory.appendingPathComponent("libRwState.so")
            try await link(["-emit-library", "-o", stateLibrary.path] + state.objects + ["-Xlinker", "-soname=libRwState.so"])
        }

        var hash = StableHash()
        hash.combine(try Self.toolchainVersion.get())
        hash.combine(depsModules.sorted().joined(separator: ","))
        for object in (state.objects + depsObjects).sorted() {
            let attributes = try FileManager.default.attributesOfItem(atPath: object)
            hash.combine(object)
            hash.combine("\(attributes[.size] ?? 0)/\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        }
        let image = DepsImage(
            hash: hash.short,
            path: depsDirectory.appendingPathComponent("libRwDeps-\(hash.short).so"),
            modules: depsModules,
            modulesDirectory: binDirectory.appendingPathComponent("Modules"),
            stateDirectory: stateDirectory,
            runner: stateDirectory.appendingPathComponent("rw-runner"),
            clangFlags: manifest.clangFlags(of: modules)
        )
        if !FileManager.default.fileExists(atPath: image.path.path) {
            try await link(
                ["-emit-library", "-o", image.path.path] + depsObjects + [
                    "-L", stateDirectory.path, "-lRwState",
                    "-Xlinker", "-soname=\(image.path.lastPathComponent)",
                    "-Xlinker", "-rpath", "-Xlinker", stateDirectory.path,
                ])
        }
        if linkingSession { try await buildRunner(image) }
        progress.finish(detail: "deps image \(image.hash) · \(depsModules.sorted().joined(separator: ", "))")
        return image
    }

    /// Compiles the runner from its sources against this session's `libRwState.so`.
    private func buildRunner(_ image: DepsImage) async throws {
        let sources = Self.sdkRoot.appendingPathComponent("Sources")
        let files = try ["RwRunner", "RwWire"].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: sources.appendingPathComponent(folder).path)
                .filter { $0.hasSuffix(".swift") }
                .map { sources.appendingPathComponent(folder).appendingPathComponent($0).path }
        }
        try await link(
            ["-module-name", "RwRunner", "-swift-version", "6", "-Onone", "-I", image.modulesDirectory.path]
                + files.sorted() + [
                    "-L", image.stateDirectory.path, "-lRwState",
                    "-Xlinker", "-rpath", "-Xlinker", image.stateDirectory.path,
                    "-o", image.runner.path,
                ])
    }

    private func link(_ arguments: [String]) async throws {
        let result = try await Subprocess.run(["swiftc"] + arguments)
        guard result.succeeded else {
            throw RwError("swiftc failed:\n\(result.errors)\(result.output)")
        }
    }

    /// The RwSDK checkout this dev server was built from (holds the runner's sources).
    static let sdkRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `swiftc --version`, asked once per process.
    private static let toolchainVersion = Result { try Subprocess.capture(["swiftc", "--version"]) }
}
