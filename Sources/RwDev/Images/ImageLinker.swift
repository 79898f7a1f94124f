import Foundation
import RwSubprocess

/// Links object files into a shared library with `swiftc -emit-library`.
enum ImageLinker {
    /// A shared library another image links against.
    struct Library: Sendable, Equatable {
        /// The library file (`lib<name>.so`).
        let path: URL

        /// The `-l` name.
        var linkName: String { String(path.deletingPathExtension().lastPathComponent.dropFirst(3)) }
    }

    /// Links `objects` into `output`, whose soname is its file name, against `libraries` (found
    /// at run time through their folders, recorded as run paths). Returns the milliseconds spent,
    /// or throws with the linker's output.
    static func link(objects: [String], into output: URL, against libraries: [Library]) async throws -> Double {
        var arguments = ["swiftc", "-emit-library", "-o", output.path, "-Xlinker", "-soname=\(output.lastPathComponent)"]
        if let lld = Self.lld { arguments += ["-use-ld=\(lld)"] }
        var folders: [String] = []
        for library in libraries {
            let folder = library.path.deletingLastPathComponent().path
            if !folders.contains(folder) { folders.append(folder) }
            arguments += ["-L", folder, "-l\(library.linkName)"]
        }
        for folder in folders { arguments += ["-Xlinker", "-rpath", "-Xlinker", folder] }
        let result = try await Subprocess.run(arguments + objects)
        guard result.succeeded else {
            throw RwError("linking \(output.lastPathComponent) failed:\n\(result.errors)\(result.output)")
        }
        return result.milliseconds
    }

    /// `lld` when the toolchain has it (it links a 250-object image in about 60 % of gold's time).
    private static let lld: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/swiftc") {
            return FileManager.default.isExecutableFile(atPath: "\(folder)/ld.lld") ? "lld" : nil
        }
        return nil
    }()
}
