import Crypto
import Foundation

/// Signs and verifies tokens with HMAC-SHA256, with key rotation: the first key signs, every key
/// verifies, so a new key can be put first while cookies signed with the old one stay valid
/// until they expire.
///
/// A token is `base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))`.
public struct SessionSigner: Sendable {
    /// The secrets, newest first (kept as bytes: `SymmetricKey` is not `Sendable`).
    private let secrets: [[UInt8]]

    /// A signer with `secrets`, newest first; each must be at least 32 bytes.
    public init(secrets: [[UInt8]]) {
        precondition(!secrets.isEmpty, "a session signer needs at least one secret")
        precondition(secrets.allSatisfy { $0.count >= 32 }, "session secrets must be at least 32 bytes")
        self.secrets = secrets
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
        let body = Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: secrets[0]))
        return body + "." + Base64URL.encode(Array(mac))
    }

    /// The payload of `token` when one of the keys signed it; `nil` otherwise. The comparison
    /// takes the same time wherever the signatures differ.
    public func verify(_ token: String) -> [UInt8]? {
        guard let dot = token.lastIndex(of: "."),
            let mac = Base64URL.decode(token[token.index(after: dot)...]),
            let payload = Base64URL.decode(token[..<dot])
        else { return nil }
        let body = Array(token[..<dot].utf8)
        for secret in secrets where HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: secret)) {
            return payload
        }
        return nil
    }
}

/// Base64 with the URL and cookie safe alphabet, without padding (RFC 4648 §5): Foundation's
/// Base64 with the two letters swapped byte by byte (Foundation's `replacingOccurrences` was most
/// of the time of signing a session cookie).
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Array(Data(bytes).base64EncodedString().utf8)
        while text.last == UInt8(ascii: "=") { text.removeLast() }
        for index in text.indices {
            switch text[index] {
            case UInt8(ascii: "+"): text[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): text[index] = UInt8(ascii: "_")
            default: continue
            }
        }
        return String(decoding: text, as: UTF8.self)
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
