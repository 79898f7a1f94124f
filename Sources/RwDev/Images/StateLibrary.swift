import Foundation

/// `libRwState.so`: the state module as the one shared library every generation of a session
/// links against. The runner loads it once; it is linked only at session start, never while a
/// runner has it loaded.
enum StateLibrary {
    /// Links `libRwState.so` into `folder` from RwState's objects in `manifest`.
    static func link(from manifest: BuildManifest, into folder: URL) async throws -> URL {
        guard let state = manifest.modules["RwState"] else {
            throw RwError("the app's dependencies do not include RwState; does the app target depend on RwSDK?")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let library = folder.appendingPathComponent("libRwState.so")
        _ = try await ImageLinker.link(objects: state.objects, into: library, against: [])
        return library
    }
}
