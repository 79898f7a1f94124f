import Foundation
import Synchronization

/// The global and static stored variable declarations of a target's Swift sources, with their
/// text, so that a reload initializes anew the ones whose declaration changed instead of keeping
/// their value.
///
/// A lexical scan, not a parser: it skips comments (nested `/* */` included) and string literals
/// (raw and multi-line included), follows the braces of type bodies (`struct`, `class`, `enum`,
/// `actor`, `extension`, `protocol`, nested at any depth, on one line or many) and of code, and
/// takes each `let` or `var` at the top level of a file, or `static`/`class` directly in a type
/// body, with its attributes and modifiers (on earlier lines too) and everything up to the end of
/// its statement: brackets balanced, continued past a line break after `=`, `,` or an operator,
/// or before `.`. Whitespace outside string literals is compared as one space, so reformatting
/// changes nothing. A declaration the scan misses keeps its value as long as its type stays the
/// same.
struct GlobalDeclarations: Equatable, Sendable {
    /// One declaration: what comes before its initializer's `=` (attributes, modifiers, name,
    /// type), and the initializer.
    struct Declaration: Equatable, Sendable {
        var head: String
        var initializer: String
    }

    /// Qualified name (`App.signingKey`, `App.Cache.shared`) → declaration.
    var declarations: [String: Declaration] = [:]

    /// Scans the files of every target: module name → files. A file whose text and module are
    /// the ones of its last scan is not scanned again.
    static func scan(_ targets: [(module: String, files: [URL])]) -> GlobalDeclarations {
        var found = GlobalDeclarations()
        for target in targets {
            for file in target.files {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                let key = "\(target.module) \(file.path)"
                let declarations: [String: Declaration]
                if let known = scanned.withLock({ $0[key] }), known.text == text {
                    declarations = known.declarations
                } else {
                    declarations = scan(text, module: target.module)
                    scanned.withLock { $0[key] = (text, declarations) }
                }
                found.declarations.merge(declarations) { first, _ in first }
            }
        }
        return found
    }

    /// The last scan of each file, by module and path.
    private static let scanned = Mutex<[String: (text: String, declarations: [String: Declaration])]>([:])

    /// The declarations of one file of `module`.
    static func scan(_ source: String, module: String) -> [String: Declaration] {
        let tokens = Lexer.tokens(of: source)
        var found: [String: Declaration] = [:]
        // The open braces: a type body (its qualified name) or code (`nil`).
        var scopes: [String?] = []
        var pendingType: String?
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            // "" at the top level, the type's name in a type body, `nil` in code.
            let typePath: String? = scopes.isEmpty ? "" : scopes[scopes.count - 1]
            switch token.text {
            case "{":
                scopes.append(pendingType)
                pendingType = nil
            case "}":
                if !scopes.isEmpty { scopes.removeLast() }
                pendingType = nil
            case "struct", "enum", "actor", "extension", "protocol", "class":
                // `class var`/`class func` are modifiers; `class Name` opens a type.
                if let typePath, let name = qualifiedTypeName(in: tokens, after: index) {
                    pendingType = typePath.isEmpty ? name.text : "\(typePath).\(name.text)"
                    index = name.end
                    continue
                }
            case "let", "var":
                guard let typePath else { break }
                let start = headStart(in: tokens, before: index)
                let modifiers = tokens[start..<index].map(\.text)
                let atTop = scopes.isEmpty
                guard atTop || modifiers.contains("static") || modifiers.contains("class"),
                    index + 1 < tokens.count, tokens[index + 1].isIdentifier
                else { break }
                let end = statementEnd(in: tokens, from: index)
                let statement = tokens[start..<end]
                let equals = equalsIndex(in: statement)
                let head = statement[..<(equals ?? end)].map(\.text).joined(separator: " ")
                let initializer = equals.map { statement[($0 + 1)...].map(\.text).joined(separator: " ") } ?? ""
                let name = ([module] + (atTop ? [] : [typePath]) + [tokens[index + 1].text]).joined(separator: ".")
                found[name] = Declaration(head: head, initializer: initializer)
                index = end
                continue
            default:
                break
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

    // MARK: - Statements

    private static let modifiers: Set<String> = [
        "public", "private", "fileprivate", "internal", "package", "open", "final", "lazy", "static", "class", "nonisolated",
        "weak", "unowned", "override", "dynamic"
    ]

    /// The dotted type name after a type keyword at `index` (`Outer.Inner` of
    /// `extension Outer.Inner`), and the index after it; `nil` when none follows.
    private static func qualifiedTypeName(in tokens: [Token], after index: Int) -> (text: String, end: Int)? {
        var end = index + 1
        guard end < tokens.count, tokens[end].isIdentifier, !declarationKeywords.contains(tokens[end].text) else { return nil }
        var parts = [tokens[end].text]
        end += 1
        while end + 1 < tokens.count, tokens[end].text == ".", tokens[end + 1].isIdentifier {
            parts.append(tokens[end + 1].text)
            end += 2
        }
        return (parts.joined(separator: "."), end)
    }

    private static let declarationKeywords: Set<String> = [
        "var", "let", "func", "subscript", "init", "deinit", "static", "final", "override", "public", "private", "fileprivate",
        "internal", "package", "open", "nonisolated"
    ]

    /// The first token of the declaration whose `let`/`var` is at `index`: back over modifiers
    /// and attributes (`@MainActor`, `@available(*, deprecated)`), across lines.
    private static func headStart(in tokens: [Token], before index: Int) -> Int {
        var start = index
        while start > 0 {
            let previous = tokens[start - 1]
            if previous.text.hasPrefix("@") || modifiers.contains(previous.text) {
                start -= 1
            } else if previous.text == ")", let open = matchingOpen(in: tokens, close: start - 1), open > 0,
                tokens[open - 1].text.hasPrefix("@") || tokens[open - 1].text == "nonisolated"
            {
                start = open
            } else {
                break
            }
        }
        return start
    }

    private static func matchingOpen(in tokens: [Token], close: Int) -> Int? {
        var depth = 0
        var index = close
        while index >= 0 {
            if tokens[index].text == ")" { depth += 1 }
            if tokens[index].text == "(" {
                depth -= 1
                if depth == 0 { return index }
            }
            index -= 1
        }
        return nil
    }

    /// The index after the last token of the statement starting at `index`.
    private static func statementEnd(in tokens: [Token], from index: Int) -> Int {
        var balance = 0
        var end = index
        while end < tokens.count {
            let token = tokens[end]
            if balance == 0, end > index {
                if token.text == ";" || token.text == "}" { break }
                if token.lineBreakBefore, !continues(after: tokens[end - 1], before: token) { break }
            }
            switch token.text {
            case "(", "[", "{": balance += 1
            case ")", "]", "}": balance -= 1
            default: break
            }
            end += 1
        }
        return end
    }

    /// Whether a statement goes on across a line break between `last` and `next`.
    private static func continues(after last: Token, before next: Token) -> Bool {
        // Not after a postfix `?`/`!` or a generic's `>` (`var x: Int?`), nor before a prefix `!`/`&`.
        if ["=", ",", ":"].contains(last.text) || last.isOperator && !["?", "!", ">"].contains(last.text) { return true }
        return next.text == "." || (next.isOperator && !["!", "&"].contains(next.text))
    }

    /// The position of the initializer's `=` in a statement (outside brackets).
    private static func equalsIndex(in statement: ArraySlice<Token>) -> Int? {
        var balance = 0
        for index in statement.indices {
            switch statement[index].text {
            case "(", "[", "{": balance += 1
            case ")", "]", "}": balance -= 1
            case "=" where balance == 0: return index
            default: break
            }
        }
        return nil
    }

    // MARK: - Tokens

    /// A word, a string literal, or a punctuation or operator run of the source.
    struct Token: Equatable {
        var text: String
        /// Whether a line break separates it from the token before.
        var lineBreakBefore: Bool

        var isIdentifier: Bool {
            guard let first = text.unicodeScalars.first else { return false }
            return first == "_" || first == "`" || CharacterSet.letters.contains(first)
        }

        var isOperator: Bool {
            guard let first = text.unicodeScalars.first, text != "=" else { return false }
            return "+-*/%<>!&|^~?".unicodeScalars.contains(first)
        }
    }

    /// Splits Swift source into tokens, dropping comments and whitespace; a string literal is
    /// one token with its exact text.
    enum Lexer {
        static func tokens(of source: String) -> [Token] {
            let scalars = Array(source.unicodeScalars)
            var tokens: [Token] = []
            var lineBreak = true
            var index = 0
            func append(_ start: Int, _ end: Int) {
                var text = ""
                text.unicodeScalars.append(contentsOf: scalars[start..<end])
                tokens.append(Token(text: text, lineBreakBefore: lineBreak))
                lineBreak = false
            }
            func at(_ offset: Int, _ character: Unicode.Scalar) -> Bool {
                index + offset < scalars.count && scalars[index + offset] == character
            }
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\n" {
                    lineBreak = true
                    index += 1
                } else if scalar == " " || scalar == "\t" || scalar == "\r" || !scalar.isASCII && CharacterSet.whitespaces.contains(scalar) {
                    index += 1
                } else if at(0, "/"), at(1, "/") {
                    while index < scalars.count, scalars[index] != "\n" { index += 1 }
                } else if at(0, "/"), at(1, "*") {
                    var depth = 0
                    repeat {
                        if at(0, "/"), at(1, "*") {
                            depth += 1
                            index += 2
                        } else if at(0, "*"), at(1, "/") {
                            depth -= 1
                            index += 2
                        } else {
                            if scalars[index] == "\n" { lineBreak = true }
                            index += 1
                        }
                    } while depth > 0 && index < scalars.count
                } else if scalar == "\"" || scalar == "#" && stringFollows(scalars, index) {
                    let start = index
                    index = stringEnd(scalars, from: index)
                    append(start, index)
                } else if scalar == "@" || scalar == "$" || isWord(scalar) {
                    let start = index
                    index += 1
                    while index < scalars.count, isWord(scalars[index]) { index += 1 }
                    append(start, index)
                } else if "+-*/%<>!&|^~?=".unicodeScalars.contains(scalar) {
                    let start = index
                    while index < scalars.count, "+-*/%<>!&|^~?=".unicodeScalars.contains(scalars[index]), !(at(0, "/") && (at(1, "/") || at(1, "*"))) {
                        index += 1
                    }
                    append(start, index)
                } else {
                    append(index, index + 1)
                    index += 1
                }
            }
            return tokens
        }

        /// Whether `scalar` belongs to an identifier, a keyword or a number.
        private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "`": true
            default: !scalar.isASCII && CharacterSet.alphanumerics.contains(scalar)
            }
        }

        /// Whether the `#`s at `index` open a raw string literal.
        private static func stringFollows(_ scalars: [Unicode.Scalar], _ index: Int) -> Bool {
            var end = index
            while end < scalars.count, scalars[end] == "#" { end += 1 }
            return end < scalars.count && scalars[end] == "\""
        }

        /// The index after the string literal starting at `index` (`"…"`, `"""…"""`, with any
        /// number of `#`s), its escapes and interpolations included.
        private static func stringEnd(_ scalars: [Unicode.Scalar], from index: Int) -> Int {
            var position = index
            var hashes = 0
            while position < scalars.count, scalars[position] == "#" {
                hashes += 1
                position += 1
            }
            let multiline = position + 2 < scalars.count && scalars[position + 1] == "\"" && scalars[position + 2] == "\""
            let quotes = multiline ? 3 : 1
            position += quotes
            func closes(at offset: Int) -> Bool {
                guard offset + quotes + hashes <= scalars.count else { return false }
                return (0..<quotes).allSatisfy { scalars[offset + $0] == "\"" }
                    && (0..<hashes).allSatisfy { scalars[offset + quotes + $0] == "#" }
            }
            while position < scalars.count {
                if scalars[position] == "\\", (0..<hashes).allSatisfy({ position + 1 + $0 < scalars.count && scalars[position + 1 + $0] == "#" }) {
                    let after = position + 1 + hashes
                    if after < scalars.count, scalars[after] == "(" {
                        // An interpolation: to its balancing parenthesis, strings inside skipped.
                        var depth = 0
                        var inner = after
                        while inner < scalars.count {
                            if scalars[inner] == "\"" || scalars[inner] == "#" && stringFollows(scalars, inner) {
                                inner = stringEnd(scalars, from: inner)
                                continue
                            }
                            if scalars[inner] == "(" { depth += 1 }
                            if scalars[inner] == ")" {
                                depth -= 1
                                if depth == 0 { break }
                            }
                            inner += 1
                        }
                        position = inner + 1
                    } else {
                        position = after + 1
                    }
                    continue
                }
                if closes(at: position) { return position + quotes + hashes }
                if !multiline, scalars[position] == "\n" { return position }  // unterminated
                position += 1
            }
            return position
        }
    }
}
