import Foundation
import PropertyBased
import RwSDK
import Testing

/// Property-based fuzzing of route matching: random patterns against random paths full of
/// percent signs, dots, empty segments, NULs and non-ASCII text. Bounded to a few hundred cases
/// each, well under a second.
@Suite(.timeLimit(.minutes(10))) struct RoutePatternFuzzTests {
    static let pathTokens = [
        "a", "b", "x", "edit", "users", "", "", ".", "..", "%", "%2", "%2F", "%2f", "%FF", "%C3%A9", "%C3", "%00",
        "é", "日本", "*", ":id", "a%20b", ";", "\\", "\u{0}", "%252F", "+", "~"
    ]
    static let patternTokens = ["a", "b", "x", "edit", "é", "*", "*", ":p", ":q", ":p"]

    static let path = Gen<String?>.element(of: pathTokens).map { $0 ?? "" }.array(of: 0...8)
        .map { "/" + $0.joined(separator: "/") }
    static let pattern = Gen<String?>.element(of: patternTokens).map { $0 ?? "a" }.array(of: 0...4)
        .map { "/" + $0.joined(separator: "/") }

    @Test func matchAgreesWithTheReferenceMatcher() async {
        await propertyCheck(count: 2000, input: Self.pattern, Self.path) { pattern, path in
            let expected = ReferenceRouteMatcher.match(pattern, path)
            #expect(RoutePattern(pattern).match(path) == expected, "\(pattern) against \(path)")
        }
    }

    /// Values put into a path (percent-encoded) come back out of the match exactly.
    @Test func encodedValuesRoundTrip() async {
        let value = Gen<Character>.latin1.string(of: 1...6)
        let tail = Gen<Character>.letterOrNumber.string(of: 1...4).array(of: 0...4)
        await propertyCheck(count: 500, input: value, value, tail) { first, second, rest in
            let pattern = RoutePattern("/users/:id/posts/:post/*")
            let allowed = CharacterSet.alphanumerics
            let path =
                "/users/\(first.addingPercentEncoding(withAllowedCharacters: allowed)!)"
                + "/posts/\(second.addingPercentEncoding(withAllowedCharacters: allowed)!)/" + rest.joined(separator: "/")
            #expect(pattern.match(path) == ["id": first, "post": second, "$0": rest.joined(separator: "/")], "\(path)")
        }
    }

    /// Many wildcards against long paths give the reference matcher's answer, and stay quick;
    /// the time limit is a hang guard, not a performance target.
    @Test(.timeLimit(.minutes(1)))
    func manyWildcardsAgainstLongPathsMatchTheReference() async {
        let long = Gen<String?>.element(of: ["a", "x", "y", "z", "edit"]).map { $0 ?? "a" }.array(of: 200...500)
            .map { "/" + $0.joined(separator: "/") }
        let patterns = Gen<String?>.element(of: ["/*/x/*/y", "/*/*/*/edit", "/*/x/*/x/*/z", "/a/*/*/*/*"]).map { $0 ?? "/*" }
        await propertyCheck(count: 40, input: patterns, long) { pattern, path in
            #expect(RoutePattern(pattern).match(path) == ReferenceRouteMatcher.match(pattern, path), "\(pattern) against a \(path.count)-byte path")
        }
    }
}
