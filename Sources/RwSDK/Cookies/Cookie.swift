public import Foundation

/// A cookie to set on the response, with every attribute of RFC 6265bis.
///
/// ```swift
/// requestInfo.response.setCookie(Cookie(name: "theme", value: "dark", maxAge: 86_400 * 365))
/// ```
///
/// The value may hold any text: characters a cookie value cannot carry (and `%`) are
/// percent-encoded, and `RwRequest.cookies` decodes them again.
public struct Cookie: Sendable, Equatable {
    /// Which cross-site requests carry the cookie.
    public enum SameSite: String, Sendable, Equatable {
        /// Only same-site requests.
        case strict = "Strict"
        /// Same-site requests and top-level navigations from other sites (browsers' default).
        case lax = "Lax"
        /// Every request; browsers require ``Cookie/secure`` with it.
        case none = "None"
    }

    /// The name: an HTTP token (letters, digits and the symbols RFC 9110 allows in one, `tchar`).
    public var name: String
    /// The value, as the app reads it back.
    public var value: String
    /// The path the cookie is sent for; `/` by default.
    public var path: String?
    /// The domain the cookie is sent to (and its subdomains); `nil` for this host only.
    public var domain: String?
    /// Seconds until the cookie expires; 0 or less deletes it at once; `nil` for none.
    public var maxAge: Int?
    /// When the cookie expires (for clients that ignore `Max-Age`); `nil` for none.
    public var expires: Date?
    /// Whether the cookie is sent over HTTPS only.
    public var secure: Bool
    /// Whether the cookie is hidden from JavaScript (`document.cookie`).
    public var httpOnly: Bool
    /// Which cross-site requests carry the cookie; `nil` leaves the browser's default (`Lax`).
    public var sameSite: SameSite?

    /// Creates a cookie; without `maxAge` or `expires` it lasts as long as the browser session.
    /// A name that is not an HTTP token is a programming error.
    public init(
        name: String,
        value: String,
        path: String? = "/",
        domain: String? = nil,
        maxAge: Int? = nil,
        expires: Date? = nil,
        secure: Bool = false,
        httpOnly: Bool = true,
        sameSite: SameSite? = .lax
    ) {
        precondition(Self.isToken(name), "cookie name \"\(name)\" is not an HTTP token")
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.maxAge = maxAge
        self.expires = expires
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// A cookie that deletes the cookie `name` (set for `path` and `domain`) in the browser.
    public static func expired(_ name: String, path: String? = "/", domain: String? = nil) -> Cookie {
        Cookie(name: name, value: "", path: path, domain: domain, maxAge: 0, expires: Date(timeIntervalSince1970: 0))
    }

    /// The value of a `Set-Cookie` field for this cookie. Attribute values are stripped of the
    /// characters (`;`, control characters) that would start another attribute.
    public var headerValue: String {
        var field = ""
        field.reserveCapacity(name.utf8.count + value.utf8.count + 96)
        field += name
        field += "="
        field += Self.encode(value)
        if let path { field += "; Path=" + Self.attribute(path) }
        if let domain { field += "; Domain=" + Self.attribute(domain) }
        if let maxAge { field += "; Max-Age=\(max(0, maxAge))" }
        if let expires { field += "; Expires=" + Self.httpDate(expires) }
        if secure { field += "; Secure" }
        if httpOnly { field += "; HttpOnly" }
        if let sameSite { field += "; SameSite=" + sameSite.rawValue }
        return field
    }

    /// Whether `byte` may stand in a cookie value unencoded (RFC 6265 `cookie-octet`, minus `%`).
    @inline(__always)
    static func isValueByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21, 0x23...0x24, 0x26...0x2B, 0x2D...0x3A, 0x3C...0x5B, 0x5D...0x7E: true
        default: false
        }
    }

    static func encode(_ value: String) -> String {
        guard value.containsByte(where: { !isValueByte($0) }) else { return value }
        var encoded = ""
        for byte in value.utf8 {
            if isValueByte(byte) {
                encoded.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                encoded.unicodeScalars.append(UnicodeScalar(UInt8(ascii: "%")))
                encoded.unicodeScalars.append(UnicodeScalar(Hex.digit(byte >> 4, uppercase: true)))
                encoded.unicodeScalars.append(UnicodeScalar(Hex.digit(byte & 15, uppercase: true)))
            }
        }
        return encoded
    }

    static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                switch byte {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
                case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
                    UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                    UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
                    true
                default: false
                }
            }
    }

    private static func attribute(_ text: String) -> String {
        guard text.containsByte(where: { $0 == UInt8(ascii: ";") || $0 < 0x20 || $0 == 0x7F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != ";" && $0.value >= 0x20 && $0.value != 0x7F }))
    }

    /// `date` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
