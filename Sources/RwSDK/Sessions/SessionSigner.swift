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

/// Base64 with the URL and cookie safe alphabet, without padding (RFC 4648 §5).
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.utf8.allSatisfy({ $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
