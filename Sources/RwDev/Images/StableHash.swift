import Foundation
import RwState

/// A 64-bit FNV-1a hash for naming build outputs by their inputs (not for security).
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Mixes `text` into the hash.
    mutating func combine(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
        value ^= 0xFF
        value &*= 0x0000_0100_0000_01B3
    }

    /// The hash as 12 hexadecimal digits.
    var short: String {
        String(Hex.string(value).prefix(12))
    }

    /// A fingerprint of the files at `paths`: their paths, sizes and modification times.
    static func fingerprint(_ paths: [String]) throws -> String {
        var hash = StableHash()
        for path in paths.sorted() {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            hash.combine(path)
            hash.combine("\(attributes[.size] ?? 0)/\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        }
        return hash.short
    }
}
