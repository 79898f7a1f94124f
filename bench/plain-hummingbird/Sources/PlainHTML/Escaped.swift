/// `text` with `&`, `<` and `>` (and in attributes, quotes) as entities: the baselines' escaper,
/// written as a Hummingbird developer would write one.
public func escaped(_ text: String, quotes: Bool = false) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"" where quotes: result += "&quot;"
        case "'" where quotes: result += "&#39;"
        default: result.unicodeScalars.append(character)
        }
    }
    return result
}
