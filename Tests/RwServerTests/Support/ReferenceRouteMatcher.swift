import Foundation

/// The obvious route matcher, kept as the oracle for the fuzzed ``RwSDK/RoutePattern``: it tries
/// every split of the path for every wildcard (exponential, fine for short inputs) and must
/// agree with the real matcher on every input.
enum ReferenceRouteMatcher {
    private enum Segment {
        case literal(String)
        case parameter(String)
        case wildcard
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
        var wildcards = 0
        return match(segments[...], parts[...], &params, &wildcards) ? params : nil
    }

    private static func match(
        _ segments: ArraySlice<Segment>, _ parts: ArraySlice<String>, _ params: inout [String: String], _ wildcards: inout Int
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
