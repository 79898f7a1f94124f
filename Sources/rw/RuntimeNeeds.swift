import Foundation
import RwDev
import RwSubprocess

/// The shared libraries an executable needs at run time, as `ldd` lists them.
struct RuntimeNeeds: Equatable {
    /// The libraries by name (`libc.so.6`, `ld-linux-x86-64.so.2`), in `ldd`'s order, without the
    /// kernel's virtual `linux-vdso.so.1`.
    let libraries: [String]
    /// Libraries `ldd` could not find on this machine.
    let missing: [String]

    /// Reads `ldd`'s output: lines such as `libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x…)`,
    /// `/lib64/ld-linux-x86-64.so.2 (0x…)` and `libfoo.so => not found`.
    init(lddOutput: String) {
        var libraries: [String] = []
        var missing: [String] = []
        for line in lddOutput.split(separator: "\n") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let first = fields.first, !first.hasPrefix("linux-vdso"), !first.hasPrefix("linux-gate") else { continue }
            let name = String(first.split(separator: "/").last ?? first)
            guard name.contains(".so") else { continue }
            libraries.append(name)
            if line.contains("not found") { missing.append(name) }
        }
        self.libraries = libraries
        self.missing = missing
    }

    /// Runs `ldd` on `executable`.
    static func of(_ executable: URL) throws -> RuntimeNeeds {
        RuntimeNeeds(lddOutput: try Subprocess.capture(["ldd", executable.path]))
    }

    /// Libraries of a Swift toolchain (the Swift runtime, Foundation, Dispatch, ICU), which a
    /// server without Swift lacks.
    var swiftRuntime: [String] {
        libraries.filter { name in
            ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime", "libicu"].contains { name.hasPrefix($0) }
        }
    }

    /// The line `rw build` ends with.
    var summary: String {
        var text = "needs at run time (ldd): \(libraries.joined(separator: " "))"
        if !swiftRuntime.isEmpty {
            text += "; the Swift runtime (\(swiftRuntime.joined(separator: " "))) must be installed where it runs"
        } else {
            text += "; no Swift runtime"
        }
        if !missing.isEmpty { text += "; not found here: \(missing.joined(separator: " "))" }
        return text
    }
}
