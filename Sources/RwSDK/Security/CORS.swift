/// Which cross-origin requests an app allows, for ``cors(_:)``.
public struct CORSOptions: Sendable {
    /// The origins allowed to call the app.
    public enum Origins: Sendable {
        /// Any origin: answered `*`, or the request's own origin when credentials are allowed.
        case any
        /// These origins exactly, such as `https://app.example` (scheme, host and port).
        case list([String])
    }

    /// The origins allowed.
    public var origins: Origins
    /// The methods a preflight allows.
    public var methods: Set<RequestMethod>
    /// The request header fields a preflight allows; empty allows those the preflight asks for.
    public var headers: [String]
    /// The response header fields the browser lets the calling script read, besides the simple ones.
    public var exposedHeaders: [String]
    /// Whether the browser may send cookies and `Authorization` and show the response
    /// (`Access-Control-Allow-Credentials: true`).
    public var credentials: Bool
    /// How many seconds the browser may keep a preflight's answer; `nil` leaves it to the browser.
    public var maxAge: Int?

    /// Creates options; by default any origin, the usual methods, the header fields a preflight
    /// asks for, no credentials.
    public init(
        origins: Origins = .any,
        methods: Set<RequestMethod> = [.get, .head, .post, .put, .patch, .delete],
        headers: [String] = [],
        exposedHeaders: [String] = [],
        credentials: Bool = false,
        maxAge: Int? = 600
    ) {
        self.origins = origins
        self.methods = methods
        self.headers = headers
        self.exposedHeaders = exposedHeaders
        self.credentials = credentials
        self.maxAge = maxAge
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, or `nil` when the
    /// origin is not allowed.
    func allowedOrigin(_ origin: String) -> String? {
        switch origins {
        case .any: credentials ? origin : "*"
        case .list(let list): list.contains(origin) ? origin : nil
        }
    }
}

/// Cross-origin resource sharing for everything declared after it, as middleware around it.
///
/// A preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin is answered
/// here with 204 and the allowed methods and header fields; the routes do not see it. Every other
/// response to an allowed origin, error responses included (404, 405, 413, 500 and the app's
/// own), gets `Access-Control-Allow-Origin` and the other fields the options call for. A request
/// from an origin not allowed is served without them, so the browser keeps the response from the
/// calling script. Every answer that depends on the origin says `Vary: Origin`.
///
/// ```swift
/// public let app = defineApp {
///     cors(CORSOptions(origins: .list(["https://app.example"]), credentials: true))
///     …
/// }
/// ```
public func cors(_ options: CORSOptions) -> AppEntry {
    let methods = options.methods.sorted().map(\.name).joined(separator: ", ")
    let exposed = options.exposedHeaders.joined(separator: ", ")
    let allowedHeaders = options.headers.joined(separator: ", ")
    return middleware { info, next in
        let request = info.request
        guard let origin = request.headers["Origin"], let allowed = options.allowedOrigin(origin) else {
            var response = await next()
            if case .list = options.origins { response.headers.add(name: "Vary", value: "Origin") }
            return response
        }
        var fields: Headers = ["Access-Control-Allow-Origin": allowed]
        if options.credentials { fields["Access-Control-Allow-Credentials"] = "true" }
        if allowed != "*" { fields["Vary"] = "Origin" }
        if request.method == "OPTIONS", request.headers["Access-Control-Request-Method"] != nil {
            fields["Access-Control-Allow-Methods"] = methods
            let headers = allowedHeaders.isEmpty ? request.headers["Access-Control-Request-Headers"] : allowedHeaders
            if let headers, !headers.isEmpty { fields["Access-Control-Allow-Headers"] = headers }
            if let maxAge = options.maxAge { fields["Access-Control-Max-Age"] = String(maxAge) }
            // A method not listed gets the same answer; the browser then refuses the call.
            return RwResponse(status: 204, headers: fields)
        }
        if !exposed.isEmpty { fields["Access-Control-Expose-Headers"] = exposed }
        var response = await next()
        for field in fields {
            // Vary lists every field the answer depends on: added to the response's own.
            if field.name != "Vary" { response.headers.remove(field.name) }
            response.headers.add(name: field.name, value: field.value)
        }
        return response
    }
}
