import Foundation
import RwSubprocess

/// Compiles one local target into object files, incrementally, with the Swift driver's own
/// incremental mode: an output file map and dependency files kept in the target's folder
/// (`.rw/targets/<Module>/`), so a save recompiles the saved files and the files that depend on
/// an interface they changed, and nothing else.
///
/// It compiles with `-c` only (no link: the driver's Linux link step in batch mode looks for
/// objects under other names); ``ImageLinker`` links the objects. A target that other local
/// targets import also emits its module into the shared local modules folder; the driver of an
/// importing target then recompiles the files that import it when the module's interface changed.
struct TargetCompiler: Sendable {
    /// The result of a compile that succeeded.
    struct Objects: Sendable, Equatable {
        /// The object files of the target's current sources, in source order.
        let paths: [String]
        /// Whether any of them was written by this compile, or the set of sources changed.
        let changed: Bool
        /// Milliseconds spent in the driver.
        let milliseconds: Double
    }

    let target: LocalTarget
    /// The target's incremental state: objects, dependency files, output file map.
    let folder: URL
    /// Where targets that others import emit their modules (searched with `-I`).
    let localModules: URL
    /// Whether another local target imports this one.
    let emitsModule: Bool

    /// Compiles the target's `sources` (plus `extraSources`, such as the generated entry point)
    /// against `deps`. Returns the objects, or the compiler's diagnostics.
    ///
    /// The objects of `saved` (files known to have changed) are deleted first, so the driver
    /// compiles them whatever their modification times say: a save within the file system's
    /// timestamp granularity of the time the driver recorded would otherwise look unchanged.
    func compile(sources: [URL], extraSources: [URL] = [], saved: Set<String> = [], deps: DepsImage) async throws -> Result<Objects, BuildFailure> {
        let objects = folder.appendingPathComponent("objects")
        try FileManager.default.createDirectory(at: objects, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: localModules, withIntermediateDirectories: true)
        let inputs = (sources + extraSources).map(\.standardizedFileURL.path)
        let map = OutputFileMap(inputs: inputs, objects: objects)
        let mapFile = folder.appendingPathComponent("output-file-map.json")
        try map.write(to: mapFile)
        for (input, object) in zip(map.inputs, map.objects) where saved.contains(input) {
            try? FileManager.default.removeItem(atPath: object)
        }
        let before = Self.modificationDates(map.objects)
        let sourcesFile = folder.appendingPathComponent("sources.txt")
        let previousSources = try? String(contentsOf: sourcesFile, encoding: .utf8)
        let currentSources = inputs.joined(separator: "\n")

        var arguments = [
            "swiftc", "-incremental", "-enable-batch-mode", "-j", "\(ProcessInfo.processInfo.activeProcessorCount)",
            "-c", "-emit-dependencies", "-output-file-map", mapFile.path,
            "-parse-as-library", "-swift-version", "6", "-Onone",
            "-module-name", target.moduleName,
            "-DSWIFT_PACKAGE", "-DDEBUG",
            "-I", localModules.path, "-I", deps.modulesDirectory.path
        ]
        if emitsModule {
            arguments += ["-emit-module", "-emit-module-path", localModules.appendingPathComponent("\(target.moduleName).swiftmodule").path]
        }
        // C modules are made visible through one module map file of fixed name that refers to
        // theirs: the driver rebuilds everything when its arguments change, and a new deps layer
        // must not change them.
        let cModules = localModules.deletingLastPathComponent().appendingPathComponent("c-modules.modulemap")
        try CModuleMap.write(deps.clangFlags, to: cModules)
        arguments += ["-Xcc", "-fmodule-map-file=\(cModules.path)"] + inputs
        let result = try await Subprocess.run(arguments, in: folder)
        guard result.succeeded else {
            return .failure(BuildFailure(diagnostics: result.errors + result.output, buildMilliseconds: result.milliseconds))
        }
        try currentSources.write(to: sourcesFile, atomically: true, encoding: .utf8)
        let after = Self.modificationDates(map.objects)
        return .success(
            Objects(
                paths: map.objects, changed: before != after || previousSources != currentSources,
                milliseconds: result.milliseconds))
    }

    private static func modificationDates(_ paths: [String]) -> [Date?] {
        paths.map { (try? FileManager.default.attributesOfItem(atPath: $0)[.modificationDate]) as? Date }
    }
}

/// A module map that declares, as `extern module`, every C module whose module map a deps image's
/// clang flags name.
enum CModuleMap {
    /// Writes the module map for `clangFlags` to `file` (only when its text changes).
    static func write(_ clangFlags: [String], to file: URL) throws {
        var lines: [String] = []
        for flag in clangFlags where flag.hasPrefix("-fmodule-map-file=") {
            let path = String(flag.dropFirst("-fmodule-map-file=".count))
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            for name in moduleNames(in: text) {
                lines.append("extern module \(name) \"\(path)\"")
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        if (try? String(contentsOf: file, encoding: .utf8)) != text {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    /// The top-level modules a module map declares.
    static func moduleNames(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard let match = line.firstMatch(of: /^(?:explicit\s+)?(?:framework\s+)?module\s+([A-Za-z_][A-Za-z0-9_]*)/) else {
                return nil
            }
            return String(match.1)
        }
    }
}

/// The driver's output file map: for each source, its object and dependency file; for the module
/// as a whole, the build record.
struct OutputFileMap {
    /// The sources, in order.
    let inputs: [String]
    /// The object of each source, in the same order.
    let objects: [String]
    private let folder: URL

    /// A map placing the outputs of `inputs` in `folder`. Output names keep the source's
    /// file name and add a hash of its folder, so files of the same name in different folders
    /// never share an object.
    init(inputs: [String], objects folder: URL) {
        self.inputs = inputs
        self.folder = folder
        self.objects = inputs.map { Self.stem(of: $0, in: folder) + ".o" }
    }

    private static func stem(of input: String, in folder: URL) -> String {
        let url = URL(fileURLWithPath: input)
        var hash = StableHash()
        hash.combine(url.deletingLastPathComponent().path)
        let name = url.deletingPathExtension().lastPathComponent
        return folder.appendingPathComponent("\(name)-\(hash.short.prefix(6))").path
    }

    /// Writes the map as JSON.
    func write(to file: URL) throws {
        var entries: [String: [String: String]] = ["": ["swift-dependencies": folder.appendingPathComponent("module.swiftdeps").path]]
        for input in inputs {
            let stem = Self.stem(of: input, in: folder)
            entries[input] = ["object": stem + ".o", "swift-dependencies": stem + ".swiftdeps"]
        }
        let data = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
        // Rewritten only when it changes, so the driver sees the same map from build to build.
        if (try? Data(contentsOf: file)) != data { try data.write(to: file) }
    }
}
