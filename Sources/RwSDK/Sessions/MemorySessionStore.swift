import Crypto
public import Foundation

/// Keeps sessions in the process, in the state module: they survive every `rw dev` reload
/// (a re-optimization too, the values being `Codable`) but not a restart. The cookie holds only
/// a random 256-bit id, signed. Meant for development and single-process servers.
public struct MemorySessionStore: SessionStore {
    /// The state key under which the sessions are kept.
    static let stateKey = "rw.sessions.memory"

    struct Stored: Codable, Sendable {
        var values: [String: String]
        /// Expiry, in seconds since 1970.
        var expires: Int64
    }

    let signer: SessionSigner

    /// A store whose ids are signed with `signer`.
    public init(signer: SessionSigner = .fromEnvironment()) {
        self.signer = signer
    }

    public func load(_ token: String) async throws -> [String: String]? {
        guard let id = signer.verify(token).map({ Base64URL.encode($0) }) else { return nil }
        let now = Int64(Date().timeIntervalSince1970)
        return Self.update { sessions in
            guard let stored = sessions[id] else { return nil }
            guard stored.expires > now else {
                sessions[id] = nil
                return nil
            }
            return stored.values
        }
    }

    public func save(_ values: [String: String], token: String?, expires: Date) async throws -> String {
        let existing = token.flatMap { signer.verify($0) }
        let idBytes = existing ?? SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let id = Base64URL.encode(idBytes)
        let now = Int64(Date().timeIntervalSince1970)
        Self.update { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            sessions[id] = Stored(values: values, expires: Int64(expires.timeIntervalSince1970))
        }
        return existing == nil ? signer.sign(idBytes) : token!
    }

    public func delete(_ token: String) async throws {
        guard let id = signer.verify(token).map({ Base64URL.encode($0) }) else { return }
        Self.update { $0[id] = nil }
    }

    /// The number of sessions kept (expired ones included until the next save).
    public static var count: Int { update { $0.count } }

    @discardableResult
    private static func update<R: Sendable>(_ body: (inout [String: Stored]) -> R) -> R {
        updateRwState(stateKey, initializer: { [String: Stored]() }, body)
    }
}
