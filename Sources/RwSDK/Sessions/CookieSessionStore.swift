public import Foundation

/// Keeps a session's values in its cookie, signed (HMAC-SHA256, see ``SessionSigner``) so the
/// browser can read but not change them, with the expiry inside the signed part. The default
/// store: it needs no server-side storage, and survives server restarts when the signer's secrets
/// do.
///
/// Values are visible to whoever holds the cookie: keep secrets out of them. A cookie holds at
/// most about 4 KB; saving more is an error.
public struct CookieSessionStore: SessionStore {
    /// The largest token the store gives out, in bytes (browsers keep cookies up to 4096 bytes,
    /// name and attributes included).
    public static let maxTokenSize = 3800

    let signer: SessionSigner

    /// A store signing with `signer`.
    public init(signer: SessionSigner = .fromEnvironment()) {
        self.signer = signer
    }

    struct Payload: Codable {
        /// The values.
        var v: [String: String]
        /// Expiry, in seconds since 1970.
        var e: Int64

        /// The payload as JSON, written directly (`JSONEncoder` was most of the time of saving a
        /// session); ``load(_:)`` reads it back with `JSONDecoder`.
        var json: String {
            var json = "{\"v\":{"
            json.reserveCapacity(32 + v.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 })
            for (index, (key, value)) in v.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { json += "," }
                FlatJSON.appendString(key, to: &json)
                json += ":"
                FlatJSON.appendString(value, to: &json)
            }
            return json + "},\"e\":\(e)}"
        }
    }

    public func load(_ token: String) async throws -> [String: String]? {
        guard let bytes = signer.verify(token), let payload = try? JSONDecoder().decode(Payload.self, from: Data(bytes)),
            payload.e > Int64(Date().timeIntervalSince1970)
        else { return nil }
        return payload.v
    }

    public func save(_ values: [String: String], token: String?, expires: Date) async throws -> String {
        let payload = Payload(v: values, e: Int64(expires.timeIntervalSince1970))
        let signed = signer.sign(Array(payload.json.utf8))
        guard signed.utf8.count <= Self.maxTokenSize else {
            throw SessionTooLarge(size: signed.utf8.count)
        }
        return signed
    }

    public func delete(_ token: String) async throws {}
}

/// A session's values do not fit in a cookie.
struct SessionTooLarge: Error, CustomStringConvertible {
    let size: Int
    var description: String {
        "the session's values take \(size) bytes signed, more than a cookie holds (\(CookieSessionStore.maxTokenSize)); "
            + "keep less in the session or use another SessionStore"
    }
}
