import Foundation
import RwDev
import RwSubprocess

/// The production executable as `rw build` ships it: a stripped copy of the executable SwiftPM
/// linked, in `dist/` next to it, with the debug information moved into `<executable>.debug`
/// beside the copy, which it names (`.gnu_debuglink`, with its CRC) so that gdb, lldb and
/// `llvm-symbolizer` find it to symbolicate a crash. SwiftPM's own output is left as it is: a
/// changed output would make SwiftPM link it again at the next build. The tool is the toolchain's
/// `llvm-objcopy` (next to `swiftc`), else binutils' `objcopy`.
enum DebugInfo {
    /// The sizes, in bytes, of one split.
    struct Split: Equatable {
        /// The executable as the linker wrote it.
        let linked: Int
        /// The shipped, stripped executable.
        let executable: Int
        /// The separate debug information file.
        let debugFile: Int
    }

    /// Where the shipped copy of `linked` (an executable in SwiftPM's bin folder) goes.
    static func shipped(_ linked: URL) -> URL {
        linked.deletingLastPathComponent().appendingPathComponent("dist").appendingPathComponent(linked.lastPathComponent)
    }

    /// The file that holds the debug information of the shipped `executable`.
    static func debugFile(of executable: URL) -> URL {
        executable.appendingPathExtension("debug")
    }

    /// Writes the stripped copy of `linked` and its debug file (``shipped(_:)``), unless they were
    /// written since SwiftPM last linked it (the debug file is newer); returns the sizes, or `nil`
    /// when the shipped copy was already current.
    static func ship(_ linked: URL) throws -> Split? {
        let executable = shipped(linked)
        let debug = debugFile(of: executable)
        if FileManager.default.isExecutableFile(atPath: executable.path), let split = try? modified(debug),
            let link = try? modified(linked), split >= link
        {
            return nil
        }
        let tool = try objcopy()
        try FileManager.default.createDirectory(at: executable.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = executable.appendingPathExtension("partial")
        for file in [debug, partial] { try? FileManager.default.removeItem(at: file) }
        try check([tool, "--only-keep-debug", linked.path, debug.path])
        // The link names the file by its base name, looked up next to the executable.
        try check([tool, "--strip-all", "--add-gnu-debuglink=\(debug.path)", linked.path, partial.path])
        try? FileManager.default.removeItem(at: executable)
        try FileManager.default.moveItem(at: partial, to: executable)
        // Marks the copy as current: a later link writes SwiftPM's executable after this.
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: debug.path)
        return Split(linked: try size(linked), executable: try size(executable), debugFile: try size(debug))
    }

    private static func modified(_ file: URL) throws -> Date {
        guard let date = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date else {
            throw RwError("no modification time for \(file.path)")
        }
        return date
    }

    private static func objcopy() throws -> String {
        let swiftc = (try? Subprocess.capture(["which", "swiftc"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !swiftc.isEmpty {
            let bundled = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("llvm-objcopy")
            if FileManager.default.isExecutableFile(atPath: bundled.path) { return bundled.path }
        }
        if let objcopy = try? Subprocess.capture(["which", "objcopy"]).trimmingCharacters(in: .whitespacesAndNewlines), !objcopy.isEmpty {
            return objcopy
        }
        throw RwError("cannot strip the executable: neither the toolchain's llvm-objcopy nor objcopy (binutils) was found")
    }

    private static func check(_ arguments: [String]) throws {
        let result = try Subprocess.run(arguments)
        guard result.succeeded else { throw SubprocessError(arguments: arguments, result: result) }
    }

    private static func size(_ file: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
    }
}
