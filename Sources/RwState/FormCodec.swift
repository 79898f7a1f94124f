/// The one codec of `application/x-www-form-urlencoded` text, as HTML forms send bodies and URLs
/// carry queries: pairs joined by `&`, `name=value`, `+` for a space and `%XX` for a byte of
/// UTF-8. Request queries, form bodies of server actions and the test client all use it.
package enum FormCodec {
    /// The pairs of `bytes`, decoded, in order. Empty pieces (`a=1&&b=2`) are skipped, and a piece
    /// without `=` is a name whose value is `""`.
    package static func pairs(_ bytes: some Collection<UInt8>) -> [(name: String, value: String)] {
        bytes.split(separator: UInt8(ascii: "&")).map { piece in
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { return (decode(piece), "") }
            return (decode(piece[..<equals]), decode(piece[piece.index(after: equals)...]))
        }
    }

    /// `bytes` with `+` as a space and `%XX` escapes decoded. When an escape is malformed, or
    /// the decoded bytes are not UTF-8, the text is kept as it arrived, undecoded.
    package static func decode(_ bytes: some Collection<UInt8>) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): decoded.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Hex.value), let low = iterator.next().flatMap(Hex.value) else {
                    return String(decoding: bytes, as: UTF8.self)
                }
                decoded.append(high << 4 | low)
            default: decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// `text` encoded as a browser encodes a form field: ASCII letters, digits and `-._*` as they
    /// are, a space as `+`, every other byte as `%XX` (upper case).
    package static func encode(_ text: String) -> String {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                encoded.append(byte)
            case UInt8(ascii: " "): encoded.append(UInt8(ascii: "+"))
            default: encoded += [UInt8(ascii: "%"), Hex.digit(byte >> 4, uppercase: true), Hex.digit(byte & 15, uppercase: true)]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
