/// The query of a request target (`?page=2&tag=a&tag=b`), read by name.
///
/// Names and values are decoded as HTML forms encode them (`application/x-www-form-urlencoded`):
/// `+` is a space and `%XX` a byte of UTF-8; a pair whose escapes are not valid UTF-8 is kept
/// undecoded. Pairs keep their order, and a repeated name keeps every value.
public struct QueryParameters: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The query as it arrived, without the leading `?`; empty when there is none.
    public let raw: String

    /// The query whose text is `raw` (without the leading `?`).
    public init(_ raw: String) { self.raw = raw }

    /// The query written as a literal.
    public init(stringLiteral raw: String) { self.init(raw) }

    public var description: String { raw }

    /// The first value of `name`, or `nil` when the query has none (a name without `=` has the
    /// value `""`).
    public subscript(name: String) -> String? {
        for (key, value) in pairs where key == name { return value }
        return nil
    }

    /// Every value of `name`, in order (`tag=a&tag=b` → `["a", "b"]`).
    public func values(for name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// Whether the query is empty (the target had no `?`, or nothing after it).
    public var isEmpty: Bool { raw.isEmpty }

    /// Every pair, decoded as above, in order; empty pieces (`a=1&&b=2`) are skipped.
    public var pairs: [(name: String, value: String)] { FormCodec.pairs(raw.utf8) }
}
