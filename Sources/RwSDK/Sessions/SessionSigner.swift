import Crypto
import Foundation

/// Signs and verifies tokens with HMAC-SHA256, with key rotation: the first key signs, every key
/// verifies, so a new key can be put first while cookies signed with the old one stay valid
/// until they expire.
///
/// A token is `base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))`.
public struct SessionSigner: Sendable {
    /// The keys, newest first, made once instead of once per signature.
    private let keys: Keys

    /// The keys of a signer. `SymmetricKey` is not marked `Sendable`, but it is an immutable
    /// value: these are only ever read.
    private final class Keys: @unchecked Sendable {
        let keys: [SymmetricKey]
        /// An HMAC keyed with the newest key, copied for each signature (keying hashes the key's
        /// two pads, most of the time of signing a small payload). Copies share its state until
        /// they change it.
        let signing: HMAC<SHA256>

        init(_ secrets: [[UInt8]]) {
            keys = secrets.map { SymmetricKey(data: $0) }
            signing = HMAC(key: keys[0])
        }
    }

    /// A signer with `secrets`, newest first; each must be at least 32 bytes.
    public init(secrets: [[UInt8]]) {
        precondition(!secrets.isEmpty, "a session signer needs at least one secret")
        precondition(secrets.allSatisfy { $0.count >= 32 }, "session secrets must be at least 32 bytes")
        self.keys = Keys(secrets)
    }

    /// A signer with `secrets` given as text (UTF-8), newest first; each at least 32 bytes.
    public init(secrets: [String]) {
        self.init(secrets: secrets.map { Array($0.utf8) })
    }

    /// The signer from the environment variable `RW_SESSION_SECRETS` (secrets separated by
    /// commas, newest first). Without it, a random secret made once per process and kept in the
    /// state module, so `rw dev` reloads keep sessions but a restarted production server does not.
    public static func fromEnvironment() -> SessionSigner {
        if let list = ProcessInfo.processInfo.environment["RW_SESSION_SECRETS"] {
            let secrets = list.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
            if !secrets.isEmpty { return SessionSigner(secrets: secrets) }
        }
        let secret: [UInt8] = defineRwState("rw.sessions.processSecret") {
            SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        }
        return SessionSigner(secrets: [secret])
    }

    /// `payload` signed with the newest key.
    public func sign(_ payload: [UInt8]) -> String {
        var token = Base64URL.encode(payload)
        var hmac = keys.signing
        token.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        let mac = Base64URL.encode(Array(hmac.finalize()))
        token.reserveCapacity(token.utf8.count + 1 + mac.utf8.count)
        token += "."
        token += mac
        return token
    }

    /// The payload of `token` when one of the keys signed it; `nil` otherwise. The comparison
    /// takes the same time wherever the signatures differ.
    public func verify(_ token: String) -> [UInt8]? {
        guard let dot = token.lastIndex(of: "."),
            let mac = Base64URL.decode(token[token.index(after: dot)...]),
            let payload = Base64URL.decode(token[..<dot])
        else { return nil }
        let body = Array(token[..<dot].utf8)
        for key in keys.keys where HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key) {
            return payload
        }
        return nil
    }
}

/// Base64 with the URL and cookie safe alphabet, without padding (RFC 4648 §5). Encoding writes
/// the letters directly (going through Foundation's Base64 and swapping letters was most of the
/// time of signing a session cookie); decoding uses Foundation's Base64 with the letters swapped.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let count = (bytes.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: count) { text in
            var written = 0
            var iterator = bytes.makeIterator()
            while let first = iterator.next() {
                let second = iterator.next()
                let third = second == nil ? nil : iterator.next()
                let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
                text[written] = alphabet[Int(group >> 18 & 63)]
                text[written + 1] = alphabet[Int(group >> 12 & 63)]
                written += 2
                if second != nil {
                    text[written] = alphabet[Int(group >> 6 & 63)]
                    written += 1
                }
                if third != nil {
                    text[written] = alphabet[Int(group & 63)]
                    written += 1
                }
            }
            return written
        }
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        var base64: [UInt8] = []
        base64.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"): base64.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): base64.append(UInt8(ascii: "/"))
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                base64.append(byte)
            default: return nil
            }
        }
        base64 += Array(repeating: UInt8(ascii: "="), count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: Data(base64)).map(Array.init)
    }
}
