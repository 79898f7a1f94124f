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

    /// Every pair, decoded, in order; empty pieces (`a=1&&b=2`) are skipped.
    public var pairs: [(name: String, value: String)] {
        raw.split(separator: "&").map { piece in
            guard let equals = piece.firstIndex(of: "=") else { return (Self.decode(piece), "") }
            return (Self.decode(piece[..<equals]), Self.decode(piece[piece.index(after: equals)...]))
        }
    }

    /// `text` with `+` as a space and `%XX` escapes decoded; unchanged when the escapes are
    /// malformed or not UTF-8.
    static func decode(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return String(text)
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? String(text)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
