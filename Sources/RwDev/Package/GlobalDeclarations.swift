import Foundation

/// The global and static stored variable declarations of a target's Swift sources, with their
/// text, so that a reload initializes anew the ones whose declaration changed instead of keeping
/// their value.
///
/// A light scan, not a parser: a `let` or `var` at the top level of a file, or `static`/`class`
/// inside a `struct`, `class`, `enum`, `actor` or `extension` at the top level, with everything
/// up to the end of its statement (brackets balanced). Comments are skipped; a declaration the
/// scan misses keeps its value as long as its type stays the same.
struct GlobalDeclarations: Equatable, Sendable {
    /// One declaration: what comes before its initializer's `=` (attributes, modifiers, name,
    /// type), and the initializer.
    struct Declaration: Equatable, Sendable {
        var head: String
        var initializer: String
    }

    /// Qualified name (`App.signingKey`, `App.Cache.shared`) → declaration.
    var declarations: [String: Declaration] = [:]

    /// Scans the files of every target: module name → files.
    static func scan(_ targets: [(module: String, files: [URL])]) -> GlobalDeclarations {
        var found = GlobalDeclarations()
        for target in targets {
            for file in target.files {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                found.declarations.merge(scan(text, module: target.module)) { first, _ in first }
            }
        }
        return found
    }

    /// The declarations of one file of `module`.
    static func scan(_ source: String, module: String) -> [String: Declaration] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard let comment = line.range(of: "//") else { return line }
            return line[..<comment.lowerBound]
        }
        var found: [String: Declaration] = [:]
        var depth = 0
        var types: [(name: String, depth: Int)] = []
        var index = 0
        let variable = #/^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|package|open|final|lazy|nonisolated\(unsafe\)|nonisolated|static|class)\s+)*(?<keyword>let|var)\s+(?<name>\w+)/#
        let typeOpening = #/^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|package|open|final)\s+)*(?:struct|class|enum|actor|extension)\s+(?<name>[\w.]+)/#
        while index < lines.count {
            let line = lines[index]
            let atTop = depth == 0
            let inType = types.last.map { $0.depth == depth - 1 } ?? false && depth == 1
            if atTop || inType, let match = line.firstMatch(of: variable) {
                let isStatic = line.contains("static ") || line.contains("class ")
                if atTop || isStatic {
                    // The statement: this line and the next while brackets are open.
                    var text = String(line)
                    var balance = bracketBalance(line)
                    var end = index
                    while balance > 0, end + 1 < lines.count {
                        end += 1
                        text += "\n" + lines[end]
                        balance += bracketBalance(lines[end])
                    }
                    let name = ([module] + (atTop ? [] : [types.last!.name]) + [String(match.output.name)]).joined(separator: ".")
                    let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                    found[name] = Declaration(head: parts[0], initializer: parts.count == 2 ? parts[1] : "")
                    for skipped in lines[index...end] { depth += bracketDepthChange(skipped) }
                    index = end + 1
                    continue
                }
            }
            if atTop, let match = line.firstMatch(of: typeOpening) {
                types.append((String(match.output.name), depth))
            }
            depth += bracketDepthChange(line)
            while let last = types.last, depth <= last.depth, !line.contains("{") || depth < last.depth {
                types.removeLast()
            }
            index += 1
        }
        return found
    }

    /// The declarations that changed from `earlier` to this scan, with why: qualified name →
    /// `initializer changed` or `declaration changed`.
    func changes(since earlier: GlobalDeclarations) -> [String: String] {
        var changed: [String: String] = [:]
        for (name, declaration) in declarations {
            guard let previous = earlier.declarations[name], previous != declaration else { continue }
            changed[name] = previous.head == declaration.head ? "initializer changed" : "declaration changed"
        }
        return changed
    }

    private static func bracketBalance(_ line: Substring) -> Int {
        line.reduce(0) { balance, character in
            switch character {
            case "(", "[", "{": balance + 1
            case ")", "]", "}": balance - 1
            default: balance
            }
        }
    }

    private static func bracketDepthChange(_ line: Substring) -> Int {
        line.reduce(0) { change, character in
            character == "{" ? change + 1 : character == "}" ? change - 1 : change
        }
    }
}
