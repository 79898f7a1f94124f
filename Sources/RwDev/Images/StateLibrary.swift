import Foundation

/// `libRwState.so`: the state module as the one shared library every generation of a session
/// links against. The runner loads it once; it is linked only at session start, never while a
/// runner has it loaded.
enum StateLibrary {
    /// Links `libRwState.so` into `folder` from RwState's objects in `manifest`, unless the
    /// library there was linked from the same objects (same paths, sizes and modification times).
    static func link(from manifest: BuildManifest, into folder: URL) async throws -> URL {
        guard let state = manifest.modules["RwState"] else {
            throw RwError("the app's dependencies do not include RwState; does the app target depend on RwSDK?")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let library = folder.appendingPathComponent("libRwState.so")
        let stamp = folder.appendingPathComponent("libRwState.inputs")
        let inputs = try StableHash.fingerprint(state.objects)
        if FileManager.default.fileExists(atPath: library.path), (try? String(contentsOf: stamp, encoding: .utf8)) == inputs {
            return library
        }
        try? FileManager.default.removeItem(at: stamp)
        _ = try await ImageLinker.link(objects: state.objects, into: library, against: [])
        try inputs.write(to: stamp, atomically: true, encoding: .utf8)
        return library
    }
}
