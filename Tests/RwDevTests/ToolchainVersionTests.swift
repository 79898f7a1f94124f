import Foundation
import Testing

@testable import RwDev

@Suite(.timeLimit(.minutes(1))) struct ToolchainVersionTests {
    /// A folder with a fake `swiftc` that prints `version` and counts its runs in the file `runs`.
    static func fakeToolchain(_ folder: URL, version: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("swiftc")
        try "#!/bin/sh\necho run >> '\(folder.path)/runs'\necho '\(version)'\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    }

    static func runs(_ folder: URL) -> Int {
        ((try? String(contentsOf: folder.appendingPathComponent("runs"), encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test func theVersionIsAskedOnceAndAskedAgainWhenTheCompilerChanges() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rw-toolchain-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = root.appendingPathComponent("first")
        let second = root.appendingPathComponent("second")
        let cache = root.appendingPathComponent("cache")
        try Self.fakeToolchain(first, version: "Swift version 6.3.1 (fake)")
        try Self.fakeToolchain(second, version: "Swift version 9.9 (fake)")

        // Asked once; the second session reads the answer without running swiftc.
        #expect(try ToolchainVersion.current(path: "\(first.path):/usr/bin", cache: cache) == "Swift version 6.3.1 (fake)\n")
        #expect(try ToolchainVersion.current(path: "\(first.path):/usr/bin", cache: cache) == "Swift version 6.3.1 (fake)\n")
        #expect(Self.runs(first) == 1)

        // Another toolchain first on PATH is asked.
        #expect(try ToolchainVersion.current(path: "\(second.path):\(first.path)", cache: cache) == "Swift version 9.9 (fake)\n")
        #expect(Self.runs(second) == 1)

        // A toolchain installed in place of the first (same path, new file) is asked again.
        try FileManager.default.removeItem(at: first.appendingPathComponent("swiftc"))
        try Self.fakeToolchain(first, version: "Swift version 6.4 (fake)")
        #expect(try ToolchainVersion.current(path: "\(first.path):/usr/bin", cache: cache) == "Swift version 6.4 (fake)\n")
        #expect(Self.runs(first) == 2)

        // A cache that cannot be written is only slower.
        let unwritable = root.appendingPathComponent("runs-as-file")
        try "".write(to: unwritable, atomically: true, encoding: .utf8)
        #expect(try ToolchainVersion.current(path: "\(second.path)", cache: unwritable) == "Swift version 9.9 (fake)\n")
        #expect(Self.runs(second) == 2)
    }
}
