import Foundation

/// What SwiftPM's build manifest (`.build/debug.yaml`) says about each module it builds: its
/// object files, the modules it imports, and the C module flags its compile used.
struct BuildManifest {
    struct Module {
        var objects: [String] = []
        var dependencies: [String] = []
        /// `-Xcc` flags that make C modules visible (module maps and include folders).
        var clangFlags: [String] = []
    }

    let modules: [String: Module]
    /// SwiftPM's folder of build products (`.build/<triple>/debug`).
    let binDirectory: URL

    /// Reads the manifest at `path` for build products in `binDirectory` (whose folder name
    /// `…/<triple>/debug` names the target triple).
    init(path: String, binDirectory: URL) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RwError("cannot read SwiftPM's build manifest at \(path)")
        }
        let triple = binDirectory.deletingLastPathComponent().lastPathComponent
        let suffix = "-\(triple)-debug.module"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var modules: [String: Module] = [:]
        for (index, line) in lines.enumerated()
        where line.hasPrefix("  \"") && line.hasSuffix("\(suffix)\":")
            || line.hasSuffix("\(suffix)>\":")
        {
            let fields = Self.fields(lines[(index + 1)..<min(index + 8, lines.count)])
            if line.hasPrefix("  \"<") {
                // "<Name-triple-debug.module>": every object file of the module, Swift or C.
                let name = String(line.dropFirst(4).dropLast(suffix.count + 3))
                modules[name, default: Module()].objects = fields.inputs.filter { $0.hasSuffix(".o") }
            } else if line.hasPrefix("  \"C.") {
                // "C.Name-triple-debug.module": the Swift compile, with imports and flags.
                let name = String(line.dropFirst(5).dropLast(suffix.count + 2))
                let swiftImports = fields.inputs.compactMap { input -> String? in
                    guard input.hasSuffix(".swiftmodule"), let slash = input.range(of: "/Modules/", options: .backwards) else {
                        return nil
                    }
                    return String(input[slash.upperBound...].dropLast(".swiftmodule".count))
                }
                let flags = Self.clangFlags(fields.arguments)
                let cImports = flags.compactMap(Self.moduleName(ofModuleMapFlag:))
                modules[name, default: Module()].dependencies = swiftImports + cImports
                modules[name, default: Module()].clangFlags = flags
            }
        }
        self.modules = modules
        self.binDirectory = binDirectory
    }

    /// `roots` and every module they import, transitively, in a stable order.
    func closure(of roots: [String]) throws -> [String] {
        var seen = Set<String>()
        var order: [String] = []
        func visit(_ name: String) throws {
            guard seen.insert(name).inserted else { return }
            guard let module = modules[name] else {
                throw RwError("SwiftPM's build manifest has no module \(name); is it a library the app depends on?")
            }
            order.append(name)
            for dependency in module.dependencies where modules[dependency] != nil { try visit(dependency) }
        }
        for root in roots { try visit(root) }
        return order
    }

    /// The clang flags of `names`, without repeats, in order.
    func clangFlags(of names: [String]) -> [String] {
        var seen = Set<String>()
        var flags: [String] = []
        for name in names {
            let moduleFlags = modules[name]?.clangFlags ?? []
            var index = 0
            while index < moduleFlags.count {
                let pair = Array(moduleFlags[index..<min(index + 2, moduleFlags.count)])
                if seen.insert(pair.joined(separator: " ")).inserted { flags += pair }
                index += 2
            }
        }
        return flags
    }

    private struct Fields {
        var inputs: [String] = []
        var arguments: [String] = []
    }

    private static func fields(_ lines: ArraySlice<Substring>) -> Fields {
        var fields = Fields()
        for next in lines {
            let field = next.trimmingCharacters(in: .whitespaces)
            if field.hasPrefix("inputs: ") { fields.inputs = list(field.dropFirst(8)) }
            if field.hasPrefix("args: ") { fields.arguments = list(field.dropFirst(6)) }
            if field.isEmpty || field.hasPrefix("\"") { break }
        }
        return fields
    }

    /// `-Xcc` pairs that name module maps or include folders, as `["-Xcc", value]` pairs.
    private static func clangFlags(_ arguments: [String]) -> [String] {
        var flags: [String] = []
        var index = 0
        while index + 1 < arguments.count {
            defer { index += 1 }
            guard arguments[index] == "-Xcc" else { continue }
            let value = arguments[index + 1]
            if value.hasPrefix("-fmodule-map-file=") {
                flags += ["-Xcc", value]
            } else if value == "-I", index + 3 < arguments.count, arguments[index + 2] == "-Xcc" {
                flags += ["-Xcc", "-I" + arguments[index + 3]]
            } else if value.hasPrefix("-I"), value.count > 2 {
                flags += ["-Xcc", value]
            }
        }
        return flags
    }

    /// The C target a module map flag belongs to: `…/<Name>.build/module.modulemap` or
    /// `…/<Name>/include/module.modulemap`.
    private static func moduleName(ofModuleMapFlag flag: String) -> String? {
        guard flag.hasPrefix("-fmodule-map-file=") else { return nil }
        let components = URL(fileURLWithPath: String(flag.dropFirst("-fmodule-map-file=".count))).pathComponents
        guard components.count >= 3 else { return nil }
        let parent = components[components.count - 2]
        if parent.hasSuffix(".build") { return String(parent.dropLast(".build".count)) }
        if parent == "include" { return components[components.count - 3] }
        return nil
    }

    private static func list(_ json: Substring) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
}
