import Foundation

/// Finds the modules Swift sources import: plain, attributed (`@testable`, `@_exported`,
/// `@preconcurrency`), kind-qualified (`import struct M.X`) and conditional (`#if canImport(M)`).
/// Comments are skipped, so commented-out imports do not count.
enum ImportScanner {
    /// The modules imported by `source`.
    static func modules(in source: String) -> Set<String> {
        var modules = Set<String>()
        for line in withoutComments(source).split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if let module = importedModule(text) { modules.insert(module) }
            var rest = Substring(text)
            while let range = rest.range(of: "canImport(") {
                let name = rest[range.upperBound...].prefix { $0 != ")" && $0 != "," }.trimmingCharacters(in: .whitespaces)
                if isIdentifier(name) { modules.insert(name) }
                rest = rest[range.upperBound...]
            }
        }
        return modules
    }

    /// The modules imported by the files at `paths`.
    static func modules(inFiles paths: [URL]) throws -> Set<String> {
        try paths.reduce(into: Set<String>()) { modules, path in
            modules.formUnion(Self.modules(in: try String(contentsOf: path, encoding: .utf8)))
        }
    }

    private static let kinds: Set<String> = ["typealias", "struct", "class", "enum", "protocol", "let", "var", "func"]

    private static func importedModule(_ line: String) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        // Attributes such as @testable, @_exported, @preconcurrency, @_spi(X).
        while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
        guard words.first == "import" else { return nil }
        words = words.dropFirst()
        if let kind = words.first, kinds.contains(String(kind)) { words = words.dropFirst() }
        guard let path = words.first else { return nil }
        let module = String(path.prefix { $0 != "." && $0 != ";" })
        return isIdentifier(module) ? module : nil
    }

    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }

    /// `source` with `//` and `/* */` comments replaced by spaces and string literals left as
    /// they are (an `import` inside a string starts no line of its own, so it is not matched).
    private static func withoutComments(_ source: String) -> String {
        var output = ""
        output.reserveCapacity(source.utf8.count)
        var index = source.startIndex
        var depth = 0
        var inString = false
        while index < source.endIndex {
            let character = source[index]
            let next = source.index(after: index)
            let following = next < source.endIndex ? source[next] : nil
            if depth > 0 {
                if character == "*" && following == "/" {
                    depth -= 1
                    index = source.index(after: next)
                } else if character == "/" && following == "*" {
                    depth += 1
                    index = source.index(after: next)
                } else {
                    if character == "\n" { output.append("\n") }
                    index = next
                }
                continue
            }
            if inString {
                output.append(character)
                if character == "\\", let following {
                    output.append(following)
                    index = source.index(after: next)
                    continue
                }
                if character == "\"" || character == "\n" { inString = false }
                index = next
                continue
            }
            if character == "/" && following == "/" {
                while index < source.endIndex && source[index] != "\n" { index = source.index(after: index) }
                continue
            }
            if character == "/" && following == "*" {
                depth = 1
                index = source.index(after: next)
                continue
            }
            if character == "\"" { inString = true }
            output.append(character)
            index = next
        }
        return output
    }
}
