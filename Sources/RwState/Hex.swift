/// Hexadecimal digits, in one place: escapes (`%XX`, `\u00XX`), fingerprints and ids.
package enum Hex {
    /// The ASCII digit of `nibble` (0–15), in lower case unless `uppercase`.
    @inline(__always)
    package static func digit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")) + nibble - 10
    }

    /// The value of the ASCII hexadecimal digit `byte` (either case), or `nil` for any other byte.
    @inline(__always)
    package static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// `bytes` as lower-case hexadecimal text, two digits per byte.
    package static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digit(byte >> 4))
            text.append(digit(byte & 15))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `value`'s 64 bits as 16 lower-case hexadecimal digits, zero-padded.
    package static func string(_ value: UInt64) -> String {
        string((0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) })
    }
}
