public import Foundation

/// Where sessions are kept between requests: the session cookie's value is a token the store
/// gives out and later turns back into the session's values.
///
/// ``CookieSessionStore`` (the default) keeps the values in the signed cookie itself;
/// ``MemorySessionStore`` keeps them in the process (surviving `rw dev` reloads) behind a
/// signed id.
public protocol SessionStore: Sendable {
    /// The values of the session `token` stands for, or `nil` when the token is not valid
    /// (tampered with, signed with an unknown key, expired, or unknown to the store).
    func load(_ token: String) async throws -> [String: String]?

    /// Keeps `values` until `expires` and returns the token to send as the cookie's value.
    /// `token` is the one the request came with, when it was valid.
    func save(_ values: [String: String], token: String?, expires: Date) async throws -> String

    /// Forgets the session `token` stands for.
    func delete(_ token: String) async throws
}
