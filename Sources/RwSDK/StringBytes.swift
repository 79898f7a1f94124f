import Foundation

extension String {
    /// Whether some UTF-8 byte of the string satisfies `predicate`: one loop over contiguous
    /// bytes (iterating `utf8` through its protocol witnesses cost several times as much).
    @inline(__always)
    func containsByte(where predicate: (UInt8) -> Bool) -> Bool {
        var text = self
        return text.withUTF8 { $0.contains(where: predicate) }
    }

    /// Whether the string's UTF-8 bytes contain those of `part` (Foundation's `contains` goes
    /// through `NSString`).
    func containsBytes(of part: StaticString) -> Bool {
        var text = self
        let count = part.utf8CodeUnitCount
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count >= count else { return count == 0 }
            for start in 0...(bytes.count - count) where memcmp(base + start, part.utf8Start, count) == 0 {
                return true
            }
            return false
        }
    }
}
