import Foundation

/// A parsed route pattern: literal segments, `:name` parameters and `*` wildcards.
///
/// `/users/:id` matches `/users/42` with `id = "42"`; `/files/*` matches `/files/a/b.txt` with
/// `$0 = "a/b.txt"` (wildcards are numbered `$0`, `$1`, … from the left). A trailing slash on
/// the request path is ignored. Parameter values are percent-decoded.
public struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case wildcard
    }

    /// The pattern as written.
    public let description: String
    let segments: [Segment]

    /// Parses `pattern`, which must start with `/`.
    public init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "route pattern \"\(pattern)\" must start with \"/\"")
        description = pattern
        segments = pattern.split(separator: "/").map { part in
            if part == "*" { return .wildcard }
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
    }

    /// The parameters if `path` matches, otherwise `nil`.
    public func match(_ path: String) -> [String: String]? {
        var parts: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = raw.removingPercentEncoding else { return nil }
            parts.append(decoded)
        }
        var params: [String: String] = [:]
        var wildcards = 0
        return match(segments[...], parts[...], &params, &wildcards) ? params : nil
    }

    private func match(
        _ segments: ArraySlice<Segment>,
        _ parts: ArraySlice<String>,
        _ params: inout [String: String],
        _ wildcards: inout Int
    ) -> Bool {
        guard let segment = segments.first else { return parts.isEmpty }
        switch segment {
        case .literal(let text):
            guard parts.first == text else { return false }
            return match(segments.dropFirst(), parts.dropFirst(), &params, &wildcards)
        case .parameter(let name):
            guard let value = parts.first else { return false }
            params[name] = value
            return match(segments.dropFirst(), parts.dropFirst(), &params, &wildcards)
        case .wildcard:
            let name = "$\(wildcards)"
            wildcards += 1
            // Longest match first, so a trailing wildcard takes the rest of the path.
            for taken in stride(from: parts.count, through: 0, by: -1) {
                var attempt = params
                var attemptWildcards = wildcards
                attempt[name] = parts.prefix(taken).joined(separator: "/")
                if match(segments.dropFirst(), parts.dropFirst(taken), &attempt, &attemptWildcards) {
                    params = attempt
                    wildcards = attemptWildcards
                    return true
                }
            }
            return false
        }
    }
}
