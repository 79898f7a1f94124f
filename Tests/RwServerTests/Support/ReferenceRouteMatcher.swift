import Foundation

/// The obvious route matcher, kept as the oracle for the fuzzed ``RwSDK/RoutePattern``: for
/// every wildcard it tries every split of the path, longest first, and must agree with the real
/// matcher on every input. It remembers which (segment, path part) positions cannot match, so it
/// tries each at most once; that keeps it polynomial for the long paths of the hang test without
/// changing any answer.
enum ReferenceRouteMatcher {
    private enum Segment {
        case literal(String)
        case parameter(String)
        case wildcard
    }

    /// Positions (segment index, part index) from which the rest cannot match.
    private struct Position: Hashable {
        let segment: Int
        let part: Int
    }

    /// The parameters if `path` matches `pattern`, else `nil`; the same contract as
    /// `RoutePattern(pattern).match(path)`.
    static func match(_ pattern: String, _ path: String) -> [String: String]? {
        let segments: [Segment] = pattern.split(separator: "/").map { part in
            if part == "*" { return .wildcard }
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
        var parts: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = raw.removingPercentEncoding else { return nil }
            parts.append(decoded)
        }
        var params: [String: String] = [:]
        var failed: Set<Position> = []
        return match(segments[...], parts[...], wildcards: 0, &params, &failed) ? params : nil
    }

    /// Whether `segments` match all of `parts`; on success `params` holds the values, the
    /// wildcards numbered from `wildcards` on.
    private static func match(
        _ segments: ArraySlice<Segment>, _ parts: ArraySlice<String>, wildcards: Int,
        _ params: inout [String: String], _ failed: inout Set<Position>
    ) -> Bool {
        guard let segment = segments.first else { return parts.isEmpty }
        let position = Position(segment: segments.startIndex, part: parts.startIndex)
        guard !failed.contains(position) else { return false }
        var matched = false
        switch segment {
        case .literal(let text):
            matched = parts.first == text && match(segments.dropFirst(), parts.dropFirst(), wildcards: wildcards, &params, &failed)
        case .parameter(let name):
            if let value = parts.first, match(segments.dropFirst(), parts.dropFirst(), wildcards: wildcards, &params, &failed) {
                // Values are filled in on the way back, so a later segment's value is already
                // there: of two parameters with one name, the later one wins.
                if params[name] == nil { params[name] = value }
                matched = true
            }
        case .wildcard:
            for taken in stride(from: parts.count, through: 0, by: -1) {
                var attempt = params
                if match(segments.dropFirst(), parts.dropFirst(taken), wildcards: wildcards + 1, &attempt, &failed) {
                    attempt["$\(wildcards)"] = parts.prefix(taken).joined(separator: "/")
                    params = attempt
                    matched = true
                    break
                }
            }
        }
        if !matched { failed.insert(position) }
        return matched
    }
}
