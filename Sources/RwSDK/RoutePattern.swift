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
    /// For each segment index, how many literal and parameter segments follow from it on (one
    /// more entry, 0, for the end).
    private let fixedCounts: [Int]
    /// For each segment index (and the end), whether a wildcard follows from it on.
    private let wildcardFrom: [Bool]
    /// The `$n` number of each wildcard segment (0 for other segments).
    private let wildcardNumbers: [Int]

    /// Parses `pattern`, which must start with `/`.
    public init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "route pattern \"\(pattern)\" must start with \"/\"")
        description = pattern
        segments = pattern.split(separator: "/").map { part in
            if part == "*" { return .wildcard }
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
        var fixedCounts = [Int](repeating: 0, count: segments.count + 1)
        var wildcardFrom = [Bool](repeating: false, count: segments.count + 1)
        for index in segments.indices.reversed() {
            fixedCounts[index] = fixedCounts[index + 1] + (segments[index] == .wildcard ? 0 : 1)
            wildcardFrom[index] = wildcardFrom[index + 1] || segments[index] == .wildcard
        }
        var wildcardNumbers = [Int](repeating: 0, count: segments.count)
        var next = 0
        for (index, segment) in segments.enumerated() where segment == .wildcard {
            wildcardNumbers[index] = next
            next += 1
        }
        self.fixedCounts = fixedCounts
        self.wildcardFrom = wildcardFrom
        self.wildcardNumbers = wildcardNumbers
    }

    /// The parameters if `path` matches, otherwise `nil`.
    ///
    /// Takes time linear in the number of path segments for patterns with at most two wildcards
    /// (and polynomial, never exponential, with more): a path of tens of thousands of segments
    /// cannot tie up the server.
    public func match(_ path: String) -> [String: String]? {
        guard let parts = Self.parts(of: path) else { return nil }
        return match(parts: parts)
    }

    /// The percent-decoded, non-empty segments of `path`, as ``match(parts:)`` takes them;
    /// `nil` when a segment's percent-encoding is not valid UTF-8 (no pattern matches such a
    /// path). A dispatcher splits a request's path once and matches every route against it.
    static func parts(of path: String) -> [String]? {
        var parts: [String] = []
        for raw in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard raw.contains(UInt8(ascii: "%")) else {
                parts.append(String(Substring(raw)))
                continue
            }
            guard let decoded = Substring(raw).removingPercentEncoding else { return nil }
            parts.append(decoded)
        }
        return parts
    }

    /// The parameters if the path split into `parts` (see ``parts(of:)``) matches, otherwise
    /// `nil`.
    func match(parts: [String]) -> [String: String]? {
        guard parts.count >= fixedCounts[0], wildcardFrom[0] || parts.count == fixedCounts[0] else { return nil }
        // Most routes differ in their first segment: compared before any matcher state is made.
        if case .literal(let text) = segments.first, parts[0] != text { return nil }
        var matcher = Matcher(pattern: self, parts: parts)
        return matcher.match(0, 0) ? matcher.params : nil
    }

    /// One match of a pattern against decoded path parts: a search over (segment, part) positions
    /// that remembers positions known to fail, so no position is tried twice.
    private struct Matcher {
        let segments: [Segment]
        let parts: [String]
        /// Literal and parameter segments from each index on.
        let fixed: [Int]
        /// Whether a wildcard follows from each index on.
        let wildcardFrom: [Bool]
        /// The `$n` number of each wildcard segment.
        let wildcardNumber: [Int]
        var failed: Set<Int> = []
        var params: [String: String] = [:]

        init(pattern: RoutePattern, parts: [String]) {
            segments = pattern.segments
            self.parts = parts
            fixed = pattern.fixedCounts
            wildcardFrom = pattern.wildcardFrom
            wildcardNumber = pattern.wildcardNumbers
        }

        /// Whether `segments[segment...]` matches `parts[part...]`; on success the parameters of
        /// those segments are in `params`.
        mutating func match(_ segment: Int, _ part: Int) -> Bool {
            let remaining = parts.count - part
            guard segment < segments.count else { return remaining == 0 }
            // Too few parts left, or (with no wildcard left to absorb them) not exactly enough.
            guard remaining >= fixed[segment], wildcardFrom[segment] || remaining == fixed[segment] else { return false }
            switch segments[segment] {
            case .literal(let text):
                return parts[part] == text && match(segment + 1, part + 1)
            case .parameter(let name):
                guard match(segment + 1, part + 1) else { return false }
                // Values are set as the search unwinds, right to left: a repeated name keeps
                // its rightmost value.
                if params[name] == nil { params[name] = parts[part] }
                return true
            case .wildcard:
                let key = segment * (parts.count + 1) + part
                if failed.contains(key) { return false }
                let most = remaining - fixed[segment + 1]
                // Longest first, so a trailing wildcard takes the rest of the path; with no wildcard
                // after this one, only one length can work.
                let least = wildcardFrom[segment + 1] ? 0 : most
                for taken in stride(from: most, through: least, by: -1) where match(segment + 1, part + taken) {
                    let name = "$\(wildcardNumber[segment])"
                    if params[name] == nil { params[name] = parts[part..<part + taken].joined(separator: "/") }
                    return true
                }
                failed.insert(key)
                return false
            }
        }
    }
}
