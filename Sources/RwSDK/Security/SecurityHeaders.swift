import Crypto
import Foundation

/// The security header fields ``securityHeaders(_:)`` sets on every response.
public struct SecurityHeaderOptions: Sendable {
    /// The `Content-Security-Policy`, with `{nonce}` standing for the request's nonce; `nil` sets
    /// none. The default allows scripts only with the nonce (and what they load), and
    /// everything else from the app's own origin.
    public var contentSecurityPolicy: String?
    /// `X-Frame-Options`; `nil` sets none.
    public var frameOptions: String?
    /// `Referrer-Policy`; `nil` sets none.
    public var referrerPolicy: String?
    /// `Strict-Transport-Security`, for an app served over HTTPS only; `nil` (the default) sets none.
    public var strictTransportSecurity: String?

    /// The default policy: scripts only with the request's nonce (`'strict-dynamic'` lets them
    /// load the client components' modules), everything else from the app's own origin, no
    /// framing, no plugins.
    public static let defaultContentSecurityPolicy =
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

    /// Creates options.
    public init(
        contentSecurityPolicy: String? = SecurityHeaderOptions.defaultContentSecurityPolicy,
        frameOptions: String? = "DENY",
        referrerPolicy: String? = "strict-origin-when-cross-origin",
        strictTransportSecurity: String? = nil
    ) {
        self.contentSecurityPolicy = contentSecurityPolicy
        self.frameOptions = frameOptions
        self.referrerPolicy = referrerPolicy
        self.strictTransportSecurity = strictTransportSecurity
    }
}

/// The request's Content-Security-Policy nonce, made by ``securityHeaders(_:)``: a fresh random
/// value per request. ``clientRuntimeScript()`` carries it; give it to any other `<script>` of
/// the page with `.attr("nonce", requestInfo[CSPNonce.self] ?? "")`.
public enum CSPNonce: RequestContextKey {
    public typealias Value = String
}

/// Security header fields on every response of everything declared after it, error responses
/// included: `X-Content-Type-Options: nosniff` and the fields of `options`. Each request gets a
/// new nonce (16 random bytes, base64) in the context under ``CSPNonce``, which the policy's
/// `{nonce}` stands for. A field the response already has is left as it is.
public func securityHeaders(_ options: SecurityHeaderOptions = SecurityHeaderOptions()) -> AppEntry {
    middleware { info, next in
        let nonce = Data(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }).base64EncodedString()
        info[CSPNonce.self] = nonce
        var response = await next()
        var fields: [(String, String?)] = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", options.frameOptions),
            ("Referrer-Policy", options.referrerPolicy),
            ("Strict-Transport-Security", options.strictTransportSecurity)
        ]
        if let policy = options.contentSecurityPolicy {
            fields.append(("Content-Security-Policy", policy.replacingOccurrences(of: "{nonce}", with: nonce)))
        }
        for case (let name, let value?) in fields where response.headers[name] == nil {
            response.headers.add(name: name, value: value)
        }
        return response
    }
}
