/// The content of a page, independent of how a renderer spells it: tags with their attributes in
/// order (values with character references decoded), and text with references decoded; text of
/// whitespace only between tags and a void element's closing `/` are left out, and the doctype is
/// lower-cased. An unescaped `<` in text or `"` in an attribute changes the tags read, so a
/// renderer that fails to escape does not have the same content.
func content(of page: [UInt8]) -> [String] {
    let text = String(decoding: page, as: UTF8.self)
    var tokens: [String] = []
    var index = text.startIndex
    while index < text.endIndex {
        if text[index] == "<" {
            guard let end = text[index...].firstIndex(of: ">") else {
                tokens.append("unterminated tag")
                break
            }
            tokens.append(tag(text[text.index(after: index)..<end]))
            index = text.index(after: end)
        } else {
            let end = text[index...].firstIndex(of: "<") ?? text.endIndex
            let run = text[index..<end]
            if !run.allSatisfy(\.isWhitespace) { tokens.append("text " + decoded(run)) }
            index = end
        }
    }
    return tokens
}

/// A tag's canonical form: `<name a="v" …>` or `</name>`.
private func tag(_ inside: Substring) -> String {
    if inside.hasPrefix("!") { return "<" + inside.lowercased() + ">" }
    var rest = inside
    if rest.hasSuffix("/") { rest = rest.dropLast() }
    let nameEnd = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
    var result = "<" + rest[..<nameEnd].lowercased()
    rest = rest[nameEnd...]
    while true {
        rest = rest.drop(while: \.isWhitespace)
        guard !rest.isEmpty else { break }
        let nameEnd = rest.firstIndex { $0 == "=" || $0.isWhitespace } ?? rest.endIndex
        result += " " + rest[..<nameEnd].lowercased()
        rest = rest[nameEnd...]
        guard rest.first == "=" else { continue }
        rest = rest.dropFirst()
        guard let quote = rest.first, quote == "\"" || quote == "'" else {
            let valueEnd = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
            result += "=\"" + decoded(rest[..<valueEnd]) + "\""
            rest = rest[valueEnd...]
            continue
        }
        rest = rest.dropFirst()
        let valueEnd = rest.firstIndex(of: quote) ?? rest.endIndex
        result += "=\"" + decoded(rest[..<valueEnd]) + "\""
        rest = valueEnd < rest.endIndex ? rest[rest.index(after: valueEnd)...] : rest[valueEnd...]
    }
    return result + ">"
}

/// `text` with the character references renderers write decoded.
private func decoded(_ text: Substring) -> String {
    guard text.contains("&") else { return String(text) }
    var result = ""
    var rest = text
    while let amp = rest.firstIndex(of: "&") {
        result += rest[..<amp]
        rest = rest[amp...]
        guard let semicolon = rest.prefix(10).firstIndex(of: ";") else {
            result += "&"
            rest = rest.dropFirst()
            continue
        }
        let name = rest[rest.index(after: rest.startIndex)..<semicolon]
        let character: String? =
            switch name {
            case "amp": "&"
            case "lt": "<"
            case "gt": ">"
            case "quot": "\""
            case "apos", "#39", "#x27", "#X27": "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else {
                    nil
                }
            }
        if let character {
            result += character
            rest = rest[rest.index(after: semicolon)...]
        } else {
            result += "&"
            rest = rest.dropFirst()
        }
    }
    return result + rest
}
