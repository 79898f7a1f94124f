import Foundation
import RwSubprocess

/// The toolchain's `swiftc --version`, by which every cached artifact of a session is keyed.
///
/// Asking swiftc takes 120–270 ms, on every start. The answer is remembered in a file named by
/// the stamp of the compiler that PATH finds (the resolved paths, sizes, modification times and
/// inodes of `swiftc` and the `swift-frontend` beside it), so a warm start runs no process, and
/// a toolchain installed in place of the old one, or put first on PATH, is asked again.
enum ToolchainVersion {
    /// Where the answers are kept: `$XDG_CACHE_HOME/rw`, else `~/.cache/rw`.
    static var cacheDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            return URL(fileURLWithPath: cache).appendingPathComponent("rw")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/rw")
    }

    /// The version of the first `swiftc` on `path`: remembered when its stamp is, else asked
    /// (and remembered when the cache can be written; a cache that cannot is only slower).
    static func current(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "", cache: URL = cacheDirectory) throws -> String {
        guard let compiler = compiler(on: path) else { return try Subprocess.capture(["swiftc", "--version"]) }
        var hash = StableHash()
        hash.combine(compiler.stamp)
        let file = cache.appendingPathComponent("swiftc-version-\(hash.short)")
        if let text = try? String(contentsOf: file, encoding: .utf8), let newline = text.firstIndex(of: "\n"),
            text[..<newline] == compiler.stamp
        {
            return String(text[text.index(after: newline)...])
        }
        let version = try Subprocess.capture([compiler.swiftc, "--version"])
        try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try? (compiler.stamp + "\n" + version).write(to: file, atomically: true, encoding: .utf8)
        return version
    }

    /// The first `swiftc` on `path`, and its stamp with the `swift-frontend` beside it; `nil`
    /// when there is none.
    static func compiler(on path: String) -> (swiftc: String, stamp: String)? {
        for directory in path.split(separator: ":") {
            let swiftc = "\(directory)/swiftc"
            guard FileManager.default.isExecutableFile(atPath: swiftc), let own = stamp(of: swiftc) else { continue }
            return (swiftc, [own, stamp(of: "\(directory)/swift-frontend") ?? "no swift-frontend"].joined(separator: " ; "))
        }
        return nil
    }

    private static func stamp(of file: String) -> String? {
        let resolved = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
        var info = stat()
        guard stat(resolved, &info) == 0 else { return nil }
        return "\(resolved) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
    }
}
