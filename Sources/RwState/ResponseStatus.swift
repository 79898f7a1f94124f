/// An HTTP response status, such as `200` or `404`, as responses, errors and the dev server's
/// wire carry it.
///
/// Written as an integer literal (`status: 404`) or by name (`.notFound`); compared with integers
/// the same way (`response.status == 200`).
public struct ResponseStatus: Sendable, Hashable, Comparable, LosslessStringConvertible, ExpressibleByIntegerLiteral {
    /// The three-digit code.
    public let code: Int

    /// The status with `code`.
    public init(_ code: Int) { self.code = code }

    /// The status written as an integer literal.
    public init(integerLiteral code: Int) { self.init(code) }

    /// The code as text, such as `404`.
    public var description: String { String(code) }

    /// The status whose code is `text`, such as `"404"`; `nil` unless it is three digits.
    public init?(_ text: String) {
        guard text.utf8.count == 3, let code = Int(text) else { return nil }
        self.init(code)
    }

    public static func < (lhs: ResponseStatus, rhs: ResponseStatus) -> Bool { lhs.code < rhs.code }

    /// Whether the status says the request succeeded (2xx).
    public var isSuccess: Bool { (200..<300).contains(code) }
    /// Whether the status is a redirection (3xx).
    public var isRedirection: Bool { (300..<400).contains(code) }
    /// Whether the status blames the request (4xx).
    public var isClientError: Bool { (400..<500).contains(code) }
    /// Whether the status blames the server (5xx).
    public var isServerError: Bool { (500..<600).contains(code) }

    /// The status's reason phrase, such as `Not Found`; `Error` for a code it does not name.
    public var reasonPhrase: String {
        switch code {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Error"
        }
    }

    /// `200 OK`.
    public static let ok: ResponseStatus = 200
    /// `201 Created`.
    public static let created: ResponseStatus = 201
    /// `204 No Content`.
    public static let noContent: ResponseStatus = 204
    /// `303 See Other`: where a form's POST sends the browser next.
    public static let seeOther: ResponseStatus = 303
    /// `304 Not Modified`.
    public static let notModified: ResponseStatus = 304
    /// `400 Bad Request`.
    public static let badRequest: ResponseStatus = 400
    /// `401 Unauthorized`.
    public static let unauthorized: ResponseStatus = 401
    /// `403 Forbidden`.
    public static let forbidden: ResponseStatus = 403
    /// `404 Not Found`.
    public static let notFound: ResponseStatus = 404
    /// `405 Method Not Allowed`.
    public static let methodNotAllowed: ResponseStatus = 405
    /// `413 Content Too Large`.
    public static let contentTooLarge: ResponseStatus = 413
    /// `500 Internal Server Error`.
    public static let internalServerError: ResponseStatus = 500
    /// `503 Service Unavailable`.
    public static let serviceUnavailable: ResponseStatus = 503
    /// `504 Gateway Timeout`.
    public static let gatewayTimeout: ResponseStatus = 504
}
