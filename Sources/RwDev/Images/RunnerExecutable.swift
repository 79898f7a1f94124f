import Foundation

/// The dev runner executable, compiled per session from the runner's sources of the RwSDK
/// package the app depends on, against the session's `libRwState.so`.
enum RunnerExecutable {
    /// Compiles `<sdk>/Sources/RwRunner` and `<sdk>/Sources/RwWire` into `output`, linked
    /// against `state` (`libRwState.so`) and compiled against the module interfaces in
    /// `modules`.
    static func build(sdk: URL, state: URL, modules: URL, output: URL) async throws {
        let sources = sdk.appendingPathComponent("Sources")
        let files = try ["RwRunner", "RwWire"].flatMap { folder in
            let directory = sources.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
                throw RwError("the RwSDK package at \(sdk.path) has no \(folder) sources; is it a complete RwSDK checkout?")
            }
            return names.filter { $0.hasSuffix(".swift") }.map { directory.appendingPathComponent($0).path }
        }
        let stateFolder = state.deletingLastPathComponent().path
        let result = try await Subprocess.run(
            ["swiftc", "-module-name", "RwRunner", "-swift-version", "6", "-Onone", "-I", modules.path]
                + files.sorted() + [
                    "-L", stateFolder, "-lRwState", "-Xlinker", "-rpath", "-Xlinker", stateFolder, "-o", output.path,
                ])
        guard result.succeeded else {
            throw RwError("compiling the runner failed:\n\(result.errors)\(result.output)")
        }
    }
}
