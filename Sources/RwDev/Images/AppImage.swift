package import Foundation
import RwState

/// One generation's app image: the app target's `libApp…-<generation>.so`, linked against the
/// images of the local targets below it (each from the generation that last rebuilt it), the
/// deps image and `libRwState.so`. Loading it loads the lower images it needs by their sonames.
package struct AppImage: Sendable, Equatable {
    /// The generation number.
    package let generation: Int
    /// The app target's library file: the one the runner loads.
    package let path: URL
    /// Every local target's image this generation runs, by module name (the app's included).
    package let targetImages: [String: URL]
    /// The hash of the deps image it was compiled against.
    package let depsHash: String
    /// Milliseconds spent compiling and linking.
    package let buildMilliseconds: Double
    /// What the build did, step by step, for the terminal and the benchmarks.
    package let steps: [BuildStep]
}

/// One timed step of an app image build.
package struct BuildStep: Sendable, Equatable, Codable {
    /// What ran.
    package enum Kind: String, Sendable, Codable {
        /// The Swift driver compiled a target (incrementally).
        case compile
        /// A target's objects were linked into its image.
        case link
    }

    /// What ran.
    package let kind: Kind
    /// The target's module name.
    package let module: String
    /// Milliseconds.
    package let milliseconds: Double
}

/// A failed app build: the compiler's diagnostics, to show in the terminal and the browser.
package struct BuildFailure: Error, Sendable, Equatable {
    /// The compiler's output.
    package let diagnostics: String
    /// Milliseconds spent before the failure.
    package let buildMilliseconds: Double
    /// Set when the build failed for want of disk space (`diagnostics` then says so in one line).
    var diskFull: DiskFull? = nil

    /// A build that found no room: its one line is the diagnostics.
    init(_ diskFull: DiskFull, buildMilliseconds: Double) {
        self.init(diagnostics: diskFull.message, buildMilliseconds: buildMilliseconds, diskFull: diskFull)
    }

    init(diagnostics: String, buildMilliseconds: Double, diskFull: DiskFull? = nil) {
        self.diagnostics = diagnostics
        self.buildMilliseconds = buildMilliseconds
        self.diskFull = diskFull
    }

    /// `diagnostics` of the app target `target`, led by one clear line when the target defines
    /// no `app` (the generated entry point then fails to find it), instead of errors in a file
    /// the user never wrote.
    static func explainingMissingApp(_ diagnostics: String, target: String) -> String {
        let entryMissesApp = diagnostics.split(separator: "\n").contains {
            $0.contains("rw-entry.swift") && $0.contains("cannot find 'app' in scope")
        }
        guard entryMissesApp else { return diagnostics }
        return "The app target \(target) defines no `app`: one of its files must declare "
            + "`public let app = defineApp { … }` (a file holding it emptied or renamed?).\n\n" + diagnostics
    }
}

/// Builds generations of the app: every local target the app depends on is compiled
/// incrementally into objects kept between generations (``TargetCompiler``) and relinked into an
/// image of its own only when its objects, a target below it or the deps image changed.
///
/// Each build is handed the package as the session knows it then (``DevSession`` owns it and
/// reads Package.swift anew when it changes); the builder keeps no copy.
///
/// Not safe for concurrent builds: the session runs one build at a time.
final class AppImageBuilder: @unchecked Sendable {
    /// The image a target was last linked into, and what it was linked against.
    private struct Linked {
        let objects: [String]
        let image: URL
        let depsHash: String
        let lower: [URL]
    }

    /// The package's `.rw` folder.
    let cacheDirectory: URL
    /// Linked images by module name; only touched by the one build running.
    private var linked: [String: Linked] = [:]
    /// Modules with saved files not compiled successfully yet.
    private var pending: Set<String> = []

    /// A builder keeping its images and objects in `cacheDirectory` (the package's `.rw` folder).
    init(cacheDirectory: URL) {
        self.cacheDirectory = cacheDirectory
    }

    var imageDirectory: URL { cacheDirectory.appendingPathComponent("gen") }
    var targetsDirectory: URL { cacheDirectory.appendingPathComponent("targets") }
    var localModules: URL { targetsDirectory.appendingPathComponent("Modules") }

    /// Removes app images of earlier sessions (compiled objects are kept: the driver decides
    /// what is still valid). Images of the running session are never deleted: the runner reads
    /// an old generation's symbol table when it adopts an instance of one of its types.
    func clean() throws {
        try? FileManager.default.removeItem(at: imageDirectory)
        try FileManager.default.createDirectory(at: imageDirectory, withIntermediateDirectories: true)
    }

    /// Builds generation `generation` of `package` against `deps`, lowest target first
    /// (images of targets `package` no longer has are forgotten): compiles the targets
    /// that hold one of `changedFiles` (every target when `nil`), that failed to compile before,
    /// that sit above a target whose objects changed, or whose deps image changed; relinks the
    /// images whose objects or lower images changed. The app image is linked anew every time.
    func build(
        generation: Int, of package: DevPackage, deps: DepsImage, changedFiles: [String]? = nil
    ) async throws -> Result<AppImage, BuildFailure> {
        linked = linked.filter { name, _ in package.targets.contains { $0.moduleName == name } }
        let started = DispatchTime.now()
        var steps: [BuildStep] = []
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6 }
        let importedByOthers = Set(package.targets.flatMap(\.targetDependencies))
        var images: [String: URL] = [:]
        for target in package.targets where changedFiles?.contains(where: target.contains) ?? true {
            pending.insert(target.moduleName)
        }
        var recompiled: Set<String> = []
        for target in package.targets {
            let isApp = target.name == package.appTarget
            let lower = target.targetDependencies.compactMap { name in package.targets.first { $0.name == name } }
            let previous = linked[target.moduleName]
            let objects: TargetCompiler.Objects
            if let previous, !pending.contains(target.moduleName), previous.depsHash == deps.hash,
                !lower.contains(where: { recompiled.contains($0.moduleName) })
            {
                // Nothing this target compiles from changed: its objects stand.
                objects = TargetCompiler.Objects(paths: previous.objects, changed: false, milliseconds: 0)
            } else {
                let folder = targetsDirectory.appendingPathComponent(target.moduleName)
                let compiler = TargetCompiler(
                    target: target, folder: folder, localModules: localModules,
                    emitsModule: importedByOthers.contains(target.name))
                let compiled: Result<TargetCompiler.Objects, BuildFailure>
                do {
                    let entry = isApp ? [try writeEntry(depsHash: deps.hash, in: folder)] : []
                    let saved = Set((changedFiles ?? []).filter(target.contains).map { URL(fileURLWithPath: $0).standardizedFileURL.path })
                    compiled = try await compiler.compile(sources: try target.sources(), extraSources: entry, saved: saved, deps: deps)
                } catch let error where DiskFull.isOutOfSpace(error) {
                    return .failure(BuildFailure(DiskFull(folder: folder, bytesNeeded: 1 << 20), buildMilliseconds: elapsed()))
                }
                switch compiled {
                case .failure(let failure) where DiskFull.reportsOutOfSpace(failure.diagnostics):
                    // The objects and the driver's records are written there; 1 MiB is a floor.
                    DiskFull.removeTemporaryFiles(under: folder)
                    let objects = folder.appendingPathComponent("objects")
                    return .failure(BuildFailure(DiskFull(folder: objects, bytesNeeded: 1 << 20), buildMilliseconds: elapsed()))
                case .failure(let failure):
                    let diagnostics = isApp ? BuildFailure.explainingMissingApp(failure.diagnostics, target: target.name) : failure.diagnostics
                    return .failure(BuildFailure(diagnostics: diagnostics, buildMilliseconds: elapsed()))
                case .success(let built):
                    objects = built
                }
                pending.remove(target.moduleName)
                if objects.changed { recompiled.insert(target.moduleName) }
                steps.append(BuildStep(kind: .compile, module: target.moduleName, milliseconds: objects.milliseconds))
            }
            let lowerImages = lower.compactMap { images[$0.moduleName] }
            // The app image gets a new file every generation: the runner loads it by that name.
            if !isApp, let previous, !objects.changed, previous.depsHash == deps.hash, previous.lower == lowerImages {
                images[target.moduleName] = previous.image
                continue
            }
            let output = imageDirectory.appendingPathComponent("lib\(target.moduleName)-\(generation).so")
            let libraries =
                lowerImages.map(ImageLinker.Library.init) + deps.layers.map { ImageLinker.Library(path: $0.path) }
                + [ImageLinker.Library(path: deps.stateDirectory.appendingPathComponent("libRwState.so"))]
            do {
                let milliseconds = try await ImageLinker.link(objects: objects.paths, into: output, against: libraries)
                steps.append(BuildStep(kind: .link, module: target.moduleName, milliseconds: milliseconds))
            } catch {
                // Never leave a half-written image, and relink this target next time.
                DiskFull.removeLeftovers(of: output)
                linked[target.moduleName] = nil
                let shortage = DiskFull(folder: imageDirectory, bytesNeeded: DiskFull.roomNeeded(toLink: objects.paths))
                if DiskFull.reportsOutOfSpace("\(error)") || !shortage.hasRoom {
                    return .failure(BuildFailure(shortage, buildMilliseconds: elapsed()))
                }
                return .failure(BuildFailure(diagnostics: "\(error)", buildMilliseconds: elapsed()))
            }
            linked[target.moduleName] = Linked(objects: objects.paths, image: output, depsHash: deps.hash, lower: lowerImages)
            images[target.moduleName] = output
        }
        let app = package.app.moduleName
        return .success(
            AppImage(
                generation: generation, path: images[app]!, targetImages: images, depsHash: deps.hash,
                buildMilliseconds: elapsed(), steps: steps))
    }

    /// Writes the generated entry point into the app target's folder, only when its text
    /// changes (so the driver does not recompile it), and returns its path.
    private func writeEntry(depsHash: String, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("rw-entry.swift")
        let text = Self.entrySource(depsHash: depsHash)
        if (try? String(contentsOf: file, encoding: .utf8)) != text {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return file
    }

    /// The generated entry point every app image exports for the runner.
    static func entrySource(depsHash: String) -> String {
        """
        // Generated by rw dev: the entry point the runner calls after loading this image.
        import RwSDK

        @_cdecl("\(ImageEntry.symbol)")
        public func rwImageEntry() -> UnsafeMutableRawPointer {
            let entry = ImageEntry(
                depsHash: "\(depsHash)",
                sockets: app.devSockets,
                handle: { request in await app.handle(request, environment: .development) },
                refuse: { request, status, message in
                    await app.reject(request, with: HTTPStatusError(status, message), environment: .development)
                })
            return Unmanaged.passRetained(entry).toOpaque()
        }

        """
    }
}
