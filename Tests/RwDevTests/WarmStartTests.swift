import Foundation
import Testing

@testable import RwDev

@Suite(.timeLimit(.minutes(5))) struct WarmStartTests {
    private static let inputs = SessionFingerprint.Inputs(
        manifests: ["/app/Package.swift": "let package = 1", "/app/Package.resolved": nil, "/kit/Package.swift": "let kit = 1"],
        sources: [
            "/kit/Sources/Kit/A.swift": .init(size: 10, modified: 1_000), "/kit/Sources/Kit/B.swift": .init(size: 20, modified: 2_000)
        ],
        toolchain: "Swift version 6.3 (swift-6.3-RELEASE)")

    @Test func equalInputsGiveEqualFingerprints() {
        let first = SessionFingerprint(Self.inputs)
        var reordered = SessionFingerprint.Inputs(manifests: [:], sources: [:], toolchain: Self.inputs.toolchain)
        for (path, contents) in Self.inputs.manifests.reversed() { reordered.manifests[path] = contents }
        for (path, stamp) in Self.inputs.sources.reversed() { reordered.sources[path] = stamp }
        #expect(SessionFingerprint(reordered) == first)
        #expect(SessionFingerprint(reordered).changes(since: first).isEmpty)
    }

    /// Each input changed alone is seen, and only its part is named.
    @Test func eachInputChangedAloneIsNamed() {
        let base = SessionFingerprint(Self.inputs)
        var manifest = Self.inputs
        manifest.manifests["/kit/Package.swift"] = "let kit = 2"
        #expect(SessionFingerprint(manifest).changes(since: base) == [.manifests])
        var resolved = Self.inputs
        resolved.manifests["/app/Package.resolved"] = ""
        #expect(SessionFingerprint(resolved).changes(since: base) == [.manifests], "an empty Package.resolved is not a missing one")
        var touched = Self.inputs
        touched.sources["/kit/Sources/Kit/A.swift"]?.modified += 1
        #expect(SessionFingerprint(touched).changes(since: base) == [.sources])
        var resized = Self.inputs
        resized.sources["/kit/Sources/Kit/B.swift"]?.size = 21
        #expect(SessionFingerprint(resized).changes(since: base) == [.sources])
        var added = Self.inputs
        added.sources["/kit/Sources/Kit/C.swift"] = .init(size: 0, modified: 3_000)
        #expect(SessionFingerprint(added).changes(since: base) == [.sources])
        var toolchain = Self.inputs
        toolchain.toolchain += " (patched)"
        #expect(SessionFingerprint(toolchain).changes(since: base) == [.toolchain])
    }

    /// Reading from disk: an edit of a path dependency's source or manifest, a new source file
    /// and the app's Package.resolved each change the fingerprint.
    @Test func readingSeesEditsOnDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-warm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = folder.appendingPathComponent("app")
        let kit = folder.appendingPathComponent("kit")
        try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: kit.appendingPathComponent("Sources/Kit"), withIntermediateDirectories: true)
        try "app manifest".write(to: app.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try "kit manifest".write(to: kit.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        let source = kit.appendingPathComponent("Sources/Kit/Kit.swift")
        try "public let kit = 1".write(to: source, atomically: true, encoding: .utf8)
        func read() -> SessionFingerprint {
            SessionFingerprint(.read(package: app, pathDependencies: [kit], toolchain: "swift 6.3"))
        }
        let first = read()
        #expect(read() == first)
        #expect(SessionFingerprint(.read(package: app, pathDependencies: [kit], toolchain: "swift 6.4")).changes(since: first) == [.toolchain])

        // Same size, later modification time.
        try "public let kit = 2".write(to: source, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 10)], ofItemAtPath: source.path)
        let edited = read()
        #expect(edited.changes(since: first) == [.sources])

        try "public let more = 1".write(to: kit.appendingPathComponent("Sources/Kit/More.swift"), atomically: true, encoding: .utf8)
        let added = read()
        #expect(added.changes(since: edited) == [.sources])

        try "kit manifest 2".write(to: kit.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        let kitManifest = read()
        #expect(kitManifest.changes(since: added) == [.manifests])

        try "{}".write(to: app.appendingPathComponent("Package.resolved"), atomically: true, encoding: .utf8)
        #expect(read().changes(since: kitManifest) == [.manifests])
    }

    /// A record serves only the same fingerprint and target, and only while every artifact file
    /// keeps the stamp it had.
    @Test func aRecordIsStaleWhenAnInputOrAnArtifactChanged() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-warm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let layer = folder.appendingPathComponent("libRwDeps-0123456789ab.so")
        let runner = folder.appendingPathComponent("rw-runner")
        for file in [layer, runner] { try "bytes".write(to: file, atomically: true, encoding: .utf8) }
        let deps = DepsImage(
            layers: [DepsLayer(hash: "0123456789ab", path: layer, modules: ["RwSDK"], fingerprints: ["RwSDK": "x"])],
            modulesDirectory: folder, stateDirectory: folder, clangFlags: [])
        let fingerprint = SessionFingerprint(Self.inputs)
        let files = [layer.path, runner.path]
        let record = WarmStartRecord(
            fingerprint: fingerprint, target: nil, description: "{}", deps: deps, runner: runner, artifactFiles: files,
            artifacts: try StableHash.fingerprint(files))
        #expect(record.staleness(for: fingerprint, target: nil) == nil)

        try record.save(in: folder)
        #expect(WarmStartRecord.load(from: folder) == record)

        var toolchain = Self.inputs
        toolchain.toolchain = "Swift version 6.4"
        #expect(record.staleness(for: SessionFingerprint(toolchain), target: nil) == "the toolchain changed since the last session")
        #expect(record.staleness(for: fingerprint, target: "Other") != nil)

        try "other bytes".write(to: layer, atomically: true, encoding: .utf8)
        #expect(record.staleness(for: fingerprint, target: nil) == "SwiftPM's build of the dependencies changed since the last session")
        try FileManager.default.removeItem(at: runner)
        #expect(record.staleness(for: fingerprint, target: nil) == "an artifact of the last session is gone")
        WarmStartRecord.remove(from: folder)
        #expect(WarmStartRecord.load(from: folder) == nil)
    }
}
