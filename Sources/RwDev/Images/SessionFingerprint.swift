import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What SwiftPM builds a session's deps image from, reduced to one hash per kind of input: the
/// manifests (the app's Package.swift and Package.resolved, and the Package.swift of each package
/// it depends on by path), the sources of those path dependencies (paths, sizes and modification
/// times), and the toolchain's version string. Two equal fingerprints mean SwiftPM has nothing to
/// do that it did not do for the other; any difference makes `rw dev` run SwiftPM again.
///
/// Computing it from ``Inputs`` is pure; ``Inputs/read(package:pathDependencies:toolchain:)``
/// reads them from disk.
struct SessionFingerprint: Sendable, Equatable, Codable {
    /// The inputs, as read from disk.
    struct Inputs: Sendable, Equatable {
        /// Each manifest's path and contents (`nil` when the file does not exist).
        var manifests: [String: String?]
        /// Each file under a path dependency's `Sources/`: its path, size and modification time.
        var sources: [String: FileStamp]
        /// `swiftc --version`.
        var toolchain: String

        /// Creates inputs.
        init(manifests: [String: String?], sources: [String: FileStamp], toolchain: String) {
            self.manifests = manifests
            self.sources = sources
            self.toolchain = toolchain
        }
    }

    /// A file's size and modification time (nanoseconds since 1970).
    struct FileStamp: Sendable, Equatable {
        var size: Int
        var modified: Int64

        /// Creates a stamp.
        init(size: Int, modified: Int64) {
            self.size = size
            self.modified = modified
        }
    }

    /// A kind of input, to say what changed.
    enum Part: String, Sendable, CaseIterable {
        case manifests = "a manifest or Package.resolved"
        case sources = "a path dependency's sources"
        case toolchain = "the toolchain"
    }

    /// The hash of the manifests' paths and contents.
    let manifests: String
    /// The hash of the path dependencies' source stamps.
    let sources: String
    /// The hash of the toolchain's version string.
    let toolchain: String

    /// The fingerprint of `inputs`; the order in which they were read does not matter.
    init(_ inputs: Inputs) {
        var manifests = StableHash()
        for (path, contents) in inputs.manifests.sorted(by: { $0.key < $1.key }) {
            manifests.combine(path)
            manifests.combine(contents.map { "present\n" + $0 } ?? "absent")
        }
        var sources = StableHash()
        for (path, stamp) in inputs.sources.sorted(by: { $0.key < $1.key }) {
            sources.combine(path)
            sources.combine("\(stamp.size)/\(stamp.modified)")
        }
        var toolchain = StableHash()
        toolchain.combine(inputs.toolchain)
        self.manifests = manifests.short
        self.sources = sources.short
        self.toolchain = toolchain.short
    }

    /// The parts that differ from `other`, in a fixed order (empty when equal).
    func changes(since other: SessionFingerprint) -> [Part] {
        Part.allCases.filter { part in
            switch part {
            case .manifests: manifests != other.manifests
            case .sources: sources != other.sources
            case .toolchain: toolchain != other.toolchain
            }
        }
    }
}

extension SessionFingerprint.Inputs {
    /// Reads the inputs of the package at `package` that depends by path on the packages at
    /// `pathDependencies`, with the toolchain version string `toolchain`: Package.swift and
    /// Package.resolved of the package, Package.swift of each path dependency, and a stamp of
    /// every file under each path dependency's `Sources/` (hidden files included: a file
    /// SwiftPM ignores costs a needless run at worst, never a stale cache).
    static func read(package: URL, pathDependencies: [URL], toolchain: String) -> Self {
        var manifests: [String: String?] = [:]
        for file in [package.appendingPathComponent("Package.swift"), package.appendingPathComponent("Package.resolved")]
            + pathDependencies.map({ $0.appendingPathComponent("Package.swift") })
        {
            manifests[file.path] = try? String(contentsOf: file, encoding: .utf8)
        }
        var sources: [String: SessionFingerprint.FileStamp] = [:]
        for dependency in pathDependencies {
            let root = dependency.appendingPathComponent("Sources").path
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let relative as String in walker {
                let path = root + "/" + relative
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                sources[path] = SessionFingerprint.FileStamp(size: Int(info.st_size), modified: modified)
            }
        }
        return Self(manifests: manifests, sources: sources, toolchain: toolchain)
    }
}
