import Foundation

/// What a session leaves in `.rw/dev/warm-start.json` for the next one: the fingerprint of what
/// SwiftPM built its deps image from, the package as SwiftPM described it, the deps image, the
/// runner, and a stamp of every file those are built from or read at start. A next session whose
/// fingerprint and stamp are the same reuses them all without running SwiftPM.
struct WarmStartRecord: Codable, Sendable, Equatable {
    /// The fingerprint read before SwiftPM built what this record names.
    var fingerprint: SessionFingerprint
    /// The `--target` the package was read with.
    var target: String?
    /// `swift package describe --type json`'s output for the package.
    var description: String
    /// The deps image the session started with.
    var deps: DepsImage
    /// The runner executable.
    var runner: URL
    /// The files the reused artifacts are made of or compiled against: the deps layers,
    /// `libRwState.so`, the runner, the deps modules' objects and module interfaces.
    var artifactFiles: [String]
    /// A stamp of `artifactFiles` (paths, sizes, modification times) when the record was written.
    var artifacts: String
    /// Declared dependencies SwiftPM compiled in the background since.
    var precompiled: [String] = []

    /// The record's file in the package's cache folder.
    static func file(in cacheDirectory: URL) -> URL {
        cacheDirectory.appendingPathComponent("dev/warm-start.json")
    }

    /// The record saved in `cacheDirectory`, if any can be read.
    static func load(from cacheDirectory: URL) -> WarmStartRecord? {
        guard let data = try? Data(contentsOf: file(in: cacheDirectory)) else { return nil }
        return try? JSONDecoder().decode(WarmStartRecord.self, from: data)
    }

    /// Writes the record into `cacheDirectory` (atomically: a session stopped meanwhile leaves the
    /// earlier record or this one, never half of one).
    func save(in cacheDirectory: URL) throws {
        let file = Self.file(in: cacheDirectory)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(self).write(to: file, options: .atomic)
    }

    /// Forgets the record in `cacheDirectory`.
    static func remove(from cacheDirectory: URL) {
        try? FileManager.default.removeItem(at: file(in: cacheDirectory))
    }

    /// Why this record cannot serve a session with `fingerprint` and `target`, or `nil` when it
    /// can: its fingerprint and target are the same, and every artifact file is still there with
    /// the stamp it had (a `swift build` or `swift package clean` since changes it).
    func staleness(for fingerprint: SessionFingerprint, target: String?) -> String? {
        let changes = fingerprint.changes(since: self.fingerprint)
        if !changes.isEmpty {
            return changes.map(\.rawValue).joined(separator: ", ") + " changed since the last session"
        }
        if target != self.target { return "--target differs from the last session's" }
        guard let stamp = try? StableHash.fingerprint(artifactFiles) else {
            return "an artifact of the last session is gone"
        }
        return stamp == artifacts ? nil : "SwiftPM's build of the dependencies changed since the last session"
    }

    /// The artifact files of a session with `deps`, `runner` and the modules of `manifest`.
    static func artifactFiles(deps: DepsImage, runner: URL, manifest: BuildManifest) -> [String] {
        var files =
            deps.layers.map(\.path.path) + [
                deps.stateDirectory.appendingPathComponent("libRwState.so").path, runner.path
            ]
        for module in deps.modules + ["RwState"] {
            files += manifest.modules[module]?.objects ?? []
            let interface = deps.modulesDirectory.appendingPathComponent("\(module).swiftmodule").path
            if FileManager.default.fileExists(atPath: interface) { files.append(interface) }
        }
        return files.sorted()
    }
}

/// How a session starts: from the last session's record, with no SwiftPM run, or cold.
struct StartPlan: Sendable {
    /// The package.
    let package: DevPackage
    /// The `--target` option it was read with.
    let target: String?
    /// `swift package describe`'s output for it.
    let description: String
    /// The fingerprint of the inputs as read before anything was built.
    let fingerprint: SessionFingerprint
    /// The last session's record when it is still valid.
    let warm: WarmStartRecord?
    /// Why the last session's record is not used (`nil` when there is none or it is used).
    let coldReason: String?
    /// Milliseconds of each step, for the start line.
    let steps: [(String, Double)]

    /// Reads the package at `directory`: from the last session's record when it is valid for
    /// the current inputs, otherwise by asking SwiftPM.
    static func make(directory: URL, target: String?) throws -> StartPlan {
        var steps: [(String, Double)] = []
        var clock = DispatchTime.now()
        func lap(_ name: String) {
            let now = DispatchTime.now()
            steps.append((name, Double(now.uptimeNanoseconds - clock.uptimeNanoseconds) / 1e6))
            clock = now
        }
        let toolchain = try DepsImageBuilder.toolchainVersion.get()
        lap("toolchain")
        let cache = directory.appendingPathComponent(".rw")
        var coldReason: String?
        if let record = WarmStartRecord.load(from: cache),
            let recorded = try? DevPackage(directory: directory, description: record.description, target: target)
        {
            let fingerprint = SessionFingerprint(
                .read(package: directory, pathDependencies: recorded.pathDependencies, toolchain: toolchain))
            lap("fingerprint")
            coldReason = record.staleness(for: fingerprint, target: target)
            lap("artifacts")
            if coldReason == nil {
                return StartPlan(
                    package: recorded, target: target, description: record.description, fingerprint: fingerprint, warm: record, coldReason: nil,
                    steps: steps)
            }
        }
        let (package, description) = try DevPackage.described(path: directory.path, target: target)
        lap("describe")
        let fingerprint = SessionFingerprint(.read(package: directory, pathDependencies: package.pathDependencies, toolchain: toolchain))
        lap("fingerprint")
        return StartPlan(package: package, target: target, description: description, fingerprint: fingerprint, warm: nil, coldReason: coldReason, steps: steps)
    }

    /// The fingerprint of the package's inputs as they are now.
    func currentFingerprint() throws -> SessionFingerprint {
        try Self.fingerprint(of: package)
    }

    /// The fingerprint of `package`'s inputs as they are now.
    static func fingerprint(of package: DevPackage) throws -> SessionFingerprint {
        SessionFingerprint(
            .read(package: package.directory, pathDependencies: package.pathDependencies, toolchain: try DepsImageBuilder.toolchainVersion.get()))
    }
}
