import Foundation
import RwSubprocess

/// The dev runner executable, compiled optimized from the runner's sources of the RwSDK package
/// the app depends on, against the session's `libRwState.so`, and kept between sessions while
/// its inputs stay the same.
enum RunnerExecutable {
    /// The runner for these inputs in `folder`: `runner-<hash>/rw-runner`, where the hash covers the
    /// toolchain, `<sdk>/Sources/RwRunner` and `<sdk>/Sources/RwWire` and RwState's `objects`
    /// (paths, sizes, modification times). Compiles it (with `-O`: it is on the path of every
    /// request) only when there is none, against the module interfaces in `modules` and linked
    /// against `state` (`libRwState.so`); runners of other inputs in `folder` are removed, and so
    /// is the unversioned `rw-runner` that earlier versions of rw dev left there.
    static func build(sdk: URL, state: URL, stateObjects: [String], modules: URL, folder: URL) async throws -> URL {
        let sources = sdk.appendingPathComponent("Sources")
        let files = try ["RwRunner", "RwWire"].flatMap { name in
            let directory = sources.appendingPathComponent(name)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
                throw RwError("the RwSDK package at \(sdk.path) has no \(name) sources; is it a complete RwSDK checkout?")
            }
            return names.filter { $0.hasSuffix(".swift") }.map { directory.appendingPathComponent($0).path }
        }.sorted()
        var hash = StableHash()
        hash.combine(try DepsImageBuilder.toolchainVersion.get())
        hash.combine(try StableHash.fingerprint(files))
        hash.combine(try StableHash.fingerprint(stateObjects))
        let home = folder.appendingPathComponent("runner-\(hash.short)")
        let output = home.appendingPathComponent("rw-runner")
        if FileManager.default.isExecutableFile(atPath: output.path) { return output }

        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where name.hasPrefix("runner-") || name == "rw-runner" {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let stateFolder = state.deletingLastPathComponent().path
        let partial = home.appendingPathComponent("rw-runner.partial")
        let result = try await Subprocess.run(
            ["swiftc", "-module-name", "RwRunner", "-swift-version", "6", "-O", "-I", modules.path]
                + files + [
                    "-L", stateFolder, "-lRwState", "-Xlinker", "-rpath", "-Xlinker", stateFolder, "-o", partial.path
                ])
        guard result.succeeded else {
            throw RwError("compiling the runner failed:\n\(result.errors)\(result.output)")
        }
        try FileManager.default.moveItem(at: partial, to: output)
        return output
    }
}
