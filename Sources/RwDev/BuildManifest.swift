import Foundation

/// What SwiftPM's build manifest (`.build/debug.yaml`) says about each Swift module it compiles:
/// its object files and the modules it imports.
struct BuildManifest {
    struct Module {
        var objects: [String]
        var dependencies: [String]
    }

    let modules: [String: Module]

    /// Reads the manifest at `path` for build products in `binDirectory` (whose folder name
    /// `…/<triple>/debug` names the target triple).
    init(path: String, binDirectory: URL) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DevError("cannot read SwiftPM's build manifest at \(path)")
        }
        let triple = binDirectory.deletingLastPathComponent().lastPathComponent
        let prefix = "  \"C."
        let suffix = "-\(triple)-debug.module\":"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var modules: [String: Module] = [:]
        for (index, line) in lines.enumerated() where line.hasPrefix(prefix) && line.hasSuffix(suffix) {
            let name = String(line.dropFirst(prefix.count).dropLast(suffix.count))
            var inputs: [String] = []
            var outputs: [String] = []
            for next in lines[(index + 1)..<min(index + 8, lines.count)] {
                let field = next.trimmingCharacters(in: .whitespaces)
                if field.hasPrefix("inputs: ") { inputs = Self.list(field.dropFirst(8)) }
                if field.hasPrefix("outputs: ") { outputs = Self.list(field.dropFirst(9)) }
            }
            let dependencies = inputs.compactMap { input -> String? in
                guard input.hasSuffix(".swiftmodule"), let slash = input.range(of: "/Modules/", options: .backwards) else { return nil }
                return String(input[slash.upperBound...].dropLast(".swiftmodule".count))
            }
            modules[name] = Module(objects: outputs.filter { $0.hasSuffix(".o") }, dependencies: dependencies)
        }
        self.modules = modules
    }

    /// `roots` and every module they import, transitively, in a stable order.
    func closure(of roots: [String]) throws -> [String] {
        var seen = Set<String>()
        var order: [String] = []
        func visit(_ name: String) throws {
            guard seen.insert(name).inserted else { return }
            guard let module = modules[name] else {
                throw DevError("SwiftPM's build manifest has no module \(name); is it a Swift library the app depends on?")
            }
            order.append(name)
            for dependency in module.dependencies { try visit(dependency) }
        }
        for root in roots { try visit(root) }
        return order
    }

    private static func list(_ json: Substring) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
}
