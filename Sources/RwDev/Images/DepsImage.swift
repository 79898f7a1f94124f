package import Foundation
import RwSubprocess

/// The deps image of a generation: a stack of layers holding RwSDK and the packages the app
/// imports (never RwState), linked from SwiftPM's debug objects. The first layer holds what the
/// app imported at start; each re-optimization adds a layer with only the newly imported modules
/// (and what they import that no layer holds yet), linked against the layers below it. A module
/// is therefore loaded once per runner: its types and globals stay the same for the whole
/// session. Only a change to a module already in the stack (its objects were rebuilt: a version
/// change, an edited path dependency) starts a new stack.
package struct DepsImage: Sendable, Equatable, Codable {
    /// The layers, base first.
    package let layers: [DepsLayer]
    /// The folder of compiled module interfaces app images are compiled against.
    package let modulesDirectory: URL
    /// The folder holding `libRwState.so`.
    package let stateDirectory: URL
    /// Compiler flags that make the stack's C modules visible to app code.
    package let clangFlags: [String]

    /// The identity of the whole stack: the top layer's hash, which covers the layers below it.
    package var hash: String { layers.last!.hash }

    /// Every module of the stack.
    package var modules: [String] { layers.flatMap(\.modules) }
}

/// One layer of a ``DepsImage``: `libRwDeps-<hash>.so`.
package struct DepsLayer: Sendable, Equatable, Codable {
    /// The content hash (12 hex digits), covering the layers below.
    package let hash: String
    /// The library file.
    package let path: URL
    /// The modules linked into this layer.
    package let modules: [String]
    /// A fingerprint of each module's object files (paths, sizes, modification times).
    package let fingerprints: [String: String]
}

/// Builds deps images: compiles with SwiftPM, links layers.
struct DepsImageBuilder: Sendable {
    let package: DevPackage
    let terminal: Terminal

    /// The folder of `libRwState.so` and the runner.
    var stateDirectory: URL { package.cacheDirectory.appendingPathComponent("dev") }

    /// Compiles `targets` with SwiftPM (only their own dependency graph, not the rest of their
    /// packages) and reads the build manifest. With `compiling` false, only reads the manifest
    /// (the targets were compiled before and nothing they are built from changed).
    ///
    /// SwiftPM keeps a stale build plan when a file is added to a package the app depends on by
    /// path, and then fails to compile it; with `replanning`, a plan older than a change to the
    /// folders of those packages' sources (`.build/*.yaml`) is deleted first, so it is made anew.
    func compile(targets: [String], compiling: Bool = true, replanning: Bool = false) async throws -> BuildManifest {
        if replanning {
            let build = package.directory.appendingPathComponent(".build")
            let plans = ((try? FileManager.default.contentsOfDirectory(atPath: build.path)) ?? []).filter { $0.hasSuffix(".yaml") }
            for name in plans where Self.isStale(plan: build.appendingPathComponent(name), sources: package.pathDependencies) {
                try? FileManager.default.removeItem(at: build.appendingPathComponent(name))
            }
        }
        if compiling {
            let progress = terminal.progress(.compilingDependencies(targets: targets))
            for target in targets {
                let result = try await Subprocess.run(["swift", "build", "--package-path", package.directory.path, "--target", target])
                guard result.succeeded else {
                    progress.finish(failed: true)
                    throw RwError("SwiftPM could not build \(target):\n\(result.output)\(result.errors)")
                }
            }
            progress.finish(detail: nil)
        }
        let binPath = try Subprocess.capture(["swift", "build", "--package-path", package.directory.path, "--show-bin-path"])
        return try BuildManifest(
            path: package.directory.appendingPathComponent(".build/debug.yaml").path,
            binDirectory: URL(fileURLWithPath: binPath.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// What ``link(roots:from:onto:)`` did.
    enum Change: Sendable, Equatable {
        /// The stack already held every module.
        case unchanged
        /// A layer with these modules was added on top.
        case added([String])
        /// A new stack was started, because these modules of the old one changed.
        case rebuilt(changed: [String])
    }

    /// A stack holding `roots` (module names) and everything they import except RwState, from
    /// `manifest`'s objects: `current` itself when it holds them all; `current` plus a layer with
    /// the missing modules; or, when a module of `current` has other objects now, a new stack.
    /// Layers already on disk with the same hash are reused.
    func link(roots: [String], from manifest: BuildManifest, onto current: DepsImage?) async throws -> (DepsImage, Change) {
        let depsDirectory = package.cacheDirectory.appendingPathComponent("deps")
        try FileManager.default.createDirectory(at: depsDirectory, withIntermediateDirectories: true)
        let closure = try manifest.closure(of: roots)
        guard closure.contains("RwState") else {
            throw RwError("the app's dependencies do not include RwState; does the app target depend on RwSDK?")
        }
        var fingerprints: [String: String] = [:]
        for module in closure where module != "RwState" {
            fingerprints[module] = try StableHash.fingerprint(manifest.modules[module]?.objects ?? [])
        }
        var base = current?.layers ?? []
        let changed = base.flatMap { layer in
            layer.modules.filter { module in
                guard let objects = manifest.modules[module]?.objects else { return true }
                return (fingerprints[module] ?? (try? StableHash.fingerprint(objects))) != layer.fingerprints[module]
            }
        }
        if !changed.isEmpty { base = [] }
        let loaded = Set(base.flatMap(\.modules))
        let added = closure.filter { $0 != "RwState" && !loaded.contains($0) }
        let allModules = base.flatMap(\.modules) + added
        let clangFlags = manifest.clangFlags(of: allModules + ["RwState"])
        func image(_ layers: [DepsLayer]) -> DepsImage {
            DepsImage(
                layers: layers, modulesDirectory: manifest.binDirectory.appendingPathComponent("Modules"),
                stateDirectory: stateDirectory, clangFlags: clangFlags)
        }
        guard !added.isEmpty else { return (image(base), .unchanged) }

        var hash = StableHash()
        hash.combine(try base.last?.hash ?? Self.toolchainVersion.get())
        for module in added.sorted() {
            hash.combine(module)
            hash.combine(fingerprints[module] ?? "")
        }
        let layer = DepsLayer(
            hash: hash.short, path: depsDirectory.appendingPathComponent("libRwDeps-\(hash.short).so"), modules: added,
            fingerprints: fingerprints.filter { added.contains($0.key) })
        if !FileManager.default.fileExists(atPath: layer.path.path) {
            let progress = terminal.progress(.linkingLayer(hash: layer.hash, modules: added))
            do {
                _ = try await ImageLinker.link(
                    objects: added.flatMap { manifest.modules[$0]?.objects ?? [] }, into: layer.path,
                    against: base.map { ImageLinker.Library(path: $0.path) }
                        + [ImageLinker.Library(path: stateDirectory.appendingPathComponent("libRwState.so"))])
            } catch {
                progress.finish(failed: true)
                throw error
            }
            progress.finish(detail: nil)
        }
        return (image(base + [layer]), changed.isEmpty ? .added(added) : .rebuilt(changed: changed))
    }

    /// Whether a folder under the `Sources` of `packages` changed (a file added, removed or
    /// renamed) after `plan` was written.
    private static func isStale(plan: URL, sources packages: [URL]) -> Bool {
        let keys: [URLResourceKey] = [.isDirectoryKey, .contentModificationDateKey]
        guard let planned = try? plan.resourceValues(forKeys: Set(keys)).contentModificationDate else { return false }
        for package in packages {
            let sources = package.appendingPathComponent("Sources")
            let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: keys)
            for case let folder as URL in [sources] + (walker?.allObjects ?? []) {
                let values = try? folder.resourceValues(forKeys: Set(keys))
                if values?.isDirectory == true, let modified = values?.contentModificationDate, modified > planned { return true }
            }
        }
        return false
    }

    /// `swiftc --version`, read once per process (``ToolchainVersion``: remembered across
    /// sessions while the compiler is the same).
    static let toolchainVersion = Result { try ToolchainVersion.current() }
}
