import Foundation

/// A key for a typed value in a request's context: the key type names the value's type, so the
/// value comes back as that type, without a cast.
///
/// ```swift
/// enum CurrentUser: RequestContextKey { typealias Value = User }
///
/// info[CurrentUser.self] = user              // in a guard or middleware
/// let user = try info.require(CurrentUser.self) // in the handler
/// ```
///
/// Values live in `RequestInfo.ctx` under the key type's full name, next to the values stored
/// by name; a request that spans a reload of the app's code does not see values of the types of
/// the older code.
public protocol RequestContextKey {
    /// The type of the value stored under this key.
    associatedtype Value: Sendable
}

extension RequestInfo {
    /// The value stored under `key`, or `nil` when none is.
    public subscript<Key: RequestContextKey>(key: Key.Type) -> Key.Value? {
        get {
            // Read on every page that has the client runtime's script (its CSP nonce): a request
            // whose context is empty skips making the key's name, whose type name costs more
            // than the rest of the lookup.
            let values = ctx
            if values.isEmpty { return nil }
            return values[Self.contextName(of: key)] as? Key.Value
        }
        set { ctx[Self.contextName(of: key)] = newValue }
    }

    /// The value stored under `key`; throws a 500 ``HTTPStatusError`` naming the key when none is
    /// (a route that needs a value no guard or middleware stored is a programming error).
    public func require<Key: RequestContextKey>(_ key: Key.Type) throws -> Key.Value {
        guard let value = self[key] else {
            throw HTTPStatusError(500, "The request has no \(Key.self) value.")
        }
        return value
    }

    /// The `ctx` name of a key type.
    static func contextName<Key: RequestContextKey>(of key: Key.Type) -> String {
        "rw.key:" + String(reflecting: key)
    }
}

extension Dictionary where Key == String, Value == String {
    /// The route parameter `name` converted to `T`, such as `params.require("id", as: Int.self)`.
    /// Throws a 400 ``HTTPStatusError`` naming the parameter when it is missing or does not
    /// convert.
    public func require<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let text = self[name] else {
            throw HTTPStatusError(400, "The path has no parameter \"\(name)\".", body: DecodingProblem(error: "missing parameter \"\(name)\"", field: name))
        }
        guard let value = T(text) else {
            let problem = DecodingProblem(error: "parameter \"\(name)\" is not \(DecodingProblem.describe(T.self)): \"\(text)\"", field: name)
            throw HTTPStatusError(400, "The path's \(problem.error).", body: problem)
        }
        return value
    }
}

extension RwRequest {
    /// The credentials of an `Authorization: Bearer <token>` or `Authorization: Token <token>`
    /// header (the scheme in any case), or `nil` when the request has none or another scheme.
    public var bearerToken: String? {
        guard let field = headers["Authorization"] else { return nil }
        let parts = field.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0].lowercased()
        guard scheme == "bearer" || scheme == "token" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
