/// One part of an app definition: middleware, a route, a server action, or a group of them.
public struct AppEntry: Sendable {
    enum Step: Sendable {
        case middleware(@Sendable (RequestInfo) async throws -> RwResponse?)
        case around(AroundMiddleware)
        case route(Route)
        case action(ServerAction)
        case channel(ChannelDefinition)
        case webSocket(WebSocketRoute)
    }

    let steps: [Step]

    init(_ steps: [Step]) { self.steps = steps }
}

/// A page or response handler bound to a route pattern.
struct Route: Sendable {
    enum Output {
        case page(any HTML)
        case response(RwResponse)
        /// A value answered through the app's ``JSONOptions``.
        case convertible(any ResponseConvertible)
        /// A value answered as JSON with status 200.
        case json(any Encodable & Sendable)
    }

    var pattern: RoutePattern
    /// The methods the route answers; HEAD is answered by GET routes too.
    let methods: Set<RequestMethod>
    let handler: @Sendable (RequestInfo) async throws -> Output
    var document: DocumentLayout?
    /// The layouts around the page, outermost first.
    var layouts: [PageLayout] = []
    /// The guards that run before the handler, outermost first (see ``guarded(by:_:)``).
    var guards: [RouteGuard] = []
    /// How large the route's pages come out, so rendering reserves about that much at once.
    let pageSize = PageSizeHint()

    /// `page` inside the route's layouts (innermost first) and then its document.
    func wrap(_ page: any HTML) -> any HTML {
        var content = page
        for layout in layouts.reversed() { content = layout(content) }
        return document?(content) ?? content
    }

    /// Whether the route answers `method` (HEAD through GET when the route does not take HEAD).
    func answers(_ method: RequestMethod) -> Bool {
        methods.contains(method) || (method == .head && methods.contains(.get))
    }
}

/// Wraps a page's content in a complete document (`<html>`, `<head>`, `<body>`).
public typealias DocumentLayout = @Sendable (_ content: any HTML) -> any HTML

/// Wraps a page's content in a part of the page shared by several routes (a header, a sidebar);
/// see ``layout(_:_:)``.
public typealias PageLayout = @Sendable (_ content: any HTML) -> any HTML

/// Middleware around the rest of the app: it gets the request's information and `next`, which
/// runs everything declared after it and returns the response, the framework's error responses
/// (404, 405, 413, 500 …) included.
public typealias AroundMiddleware = @Sendable (_ info: RequestInfo, _ next: @Sendable () async -> RwResponse) async throws -> RwResponse

/// A check run before a route's handler: returning a response (or throwing) answers the request
/// and the handler does not run; returning `nil` lets the handler run. See ``guarded(by:_:)``.
public typealias RouteGuard = @Sendable (_ info: RequestInfo) async throws -> RwResponse?

/// Composes app entries from statements, `if` and `for`.
@resultBuilder
public enum AppBuilder {
    public static func buildExpression(_ entry: AppEntry) -> AppEntry { entry }
    public static func buildExpression(_ action: ServerAction) -> AppEntry { AppEntry([.action(action)]) }
    public static func buildBlock(_ entries: AppEntry...) -> AppEntry { AppEntry(entries.flatMap(\.steps)) }
    public static func buildOptional(_ entry: AppEntry?) -> AppEntry { entry ?? AppEntry([]) }
    public static func buildEither(first entry: AppEntry) -> AppEntry { entry }
    public static func buildEither(second entry: AppEntry) -> AppEntry { entry }
    public static func buildArray(_ entries: [AppEntry]) -> AppEntry { AppEntry(entries.flatMap(\.steps)) }
}

/// Middleware that runs for every request reaching it, in declaration order, before any later
/// route; it may read and change ``requestInfo`` (for example store values in `ctx`).
public func middleware(_ body: @escaping @Sendable (RequestInfo) async throws -> Void) -> AppEntry {
    AppEntry([
        .middleware({ info in
            try await body(info)
            return nil
        })
    ])
}

/// Middleware around everything declared after it: `body` calls `next()` to run the later
/// middleware, routes and actions and gets their response, which it may change or replace.
/// `next()` never throws: errors have become responses by then (through the app's `onError`
/// handler), so this middleware sees and may rewrite every response, the framework's 404, 405,
/// 413 and 500 included. An error `body` throws itself is answered like a handler's.
///
/// ```swift
/// middleware { info, next in
///     var response = await next()
///     response.headers["X-Request-ID"] = info.ctx["requestID"] as? String
///     return response
/// }
/// ```
public func middleware(_ body: @escaping AroundMiddleware) -> AppEntry {
    AppEntry([.around(body)])
}

/// Runs `check` before the handler of each enclosed route, when that route matches; a response
/// from `check` (or an error it throws) answers the request and the route's handler never runs.
/// The check may store values for the handler, such as the signed-in user in a typed context
/// value. Guards nest: an outer guard runs first.
///
/// ```swift
/// guarded(by: requireUser) {
///     get("/user") { info in info[CurrentUser.self] }
///     put("/user") { info in … }
/// }
/// ```
public func guarded(by check: @escaping RouteGuard, @AppBuilder _ entries: () -> AppEntry) -> AppEntry {
    AppEntry(
        entries().steps.map { step in
            guard case .route(var route) = step else { return step }
            route.guards.insert(check, at: 0)
            return .route(route)
        })
}

/// Middleware that may answer the request itself: returning a response ends handling there
/// (later middleware and routes do not run); returning `nil` continues.
public func interrupter(_ body: @escaping @Sendable (RequestInfo) async throws -> RwResponse?) -> AppEntry {
    AppEntry([.middleware(body)])
}

/// A route rendering a page (a server component) for requests whose path matches `pattern` and
/// whose method is one of `methods` (GET by default; a GET route answers HEAD too, without a
/// body). A request whose path matches only routes of other methods gets 405 with `Allow`;
/// OPTIONS gets 204 with `Allow` unless a route takes OPTIONS itself.
public func route<Page: HTML>(
    _ pattern: String,
    methods: Set<RequestMethod> = [.get],
    _ page: @escaping @Sendable () async throws -> Page
) -> AppEntry {
    route(pattern, methods: methods) { (_: RequestInfo) in try await page() }
}

/// A route rendering a page from the request's information, for `methods` (GET, and so HEAD,
/// by default).
public func route<Page: HTML>(
    _ pattern: String,
    methods: Set<RequestMethod> = [.get],
    _ page: @escaping @Sendable (RequestInfo) async throws -> Page
) -> AppEntry {
    AppEntry([.route(Route(pattern: RoutePattern(pattern), methods: methods, handler: { .page(try await page($0)) }))])
}

/// A route answering with a response it builds itself (JSON, a redirect, a file …), for
/// `methods` (GET, and so HEAD, by default).
public func route(
    _ pattern: String,
    methods: Set<RequestMethod> = [.get],
    _ handler: @escaping @Sendable () async throws -> RwResponse
) -> AppEntry {
    route(pattern, methods: methods) { (_: RequestInfo) in try await handler() }
}

/// A route answering with a response built from the request's information, for `methods` (GET,
/// and so HEAD, by default).
public func route(
    _ pattern: String,
    methods: Set<RequestMethod> = [.get],
    _ handler: @escaping @Sendable (RequestInfo) async throws -> RwResponse
) -> AppEntry {
    AppEntry([.route(Route(pattern: RoutePattern(pattern), methods: methods, handler: { .response(try await handler($0)) }))])
}

/// A route answering with a value its handler returns: an `Encodable` value is sent as JSON
/// (status 200, encoded with the app's ``JSONOptions``), for `methods` (GET, and so HEAD, by
/// default). A type that is both ``HTML`` and `Encodable` is rendered as a page.
@_disfavoredOverload
public func route<Value: Encodable & Sendable>(
    _ pattern: String,
    methods: Set<RequestMethod> = [.get],
    _ handler: @escaping @Sendable (RequestInfo) async throws -> Value
) -> AppEntry {
    AppEntry([.route(Route(pattern: RoutePattern(pattern), methods: methods, handler: { .json(try await handler($0)) }))])
}

/// A route answering with a ``ResponseConvertible`` value its handler returns, such as a
/// ``JSONResponse`` with a status and header fields of its choice, for `methods` (GET, and so
/// HEAD, by default).
@_disfavoredOverload
public func route<Value: ResponseConvertible>(
    _ pattern: String,
    methods: Set<RequestMethod> = [.get],
    _ handler: @escaping @Sendable (RequestInfo) async throws -> Value
) -> AppEntry {
    AppEntry([.route(Route(pattern: RoutePattern(pattern), methods: methods, handler: { .convertible(try await handler($0)) }))])
}

/// Renders the pages of the enclosed routes inside `document`. An inner `render` wins.
public func render<Document: HTML>(
    _ document: @escaping @Sendable (_ content: any HTML) -> Document,
    @AppBuilder _ entries: () -> AppEntry
) -> AppEntry {
    let layout: DocumentLayout = { document($0) }
    return AppEntry(
        entries().steps.map { step in
            guard case .route(var route) = step, route.document == nil else { return step }
            route.document = layout
            return .route(route)
        })
}

/// Renders the pages of the enclosed routes inside `layout`, within their document. Layouts nest:
/// an outer `layout` wraps an inner one.
///
/// ```swift
/// render(Document) {
///     layout(SiteLayout) {
///         route("/") { HomePage() }
///         layout(AdminLayout) {
///             route("/admin") { AdminPage() }   // Document(SiteLayout(AdminLayout(AdminPage())))
///         }
///     }
/// }
/// ```
public func layout<Wrapped: HTML>(
    _ layout: @escaping @Sendable (_ content: any HTML) -> Wrapped,
    @AppBuilder _ entries: () -> AppEntry
) -> AppEntry {
    let wrap: PageLayout = { layout($0) }
    return AppEntry(
        entries().steps.map { step in
            guard case .route(var route) = step else { return step }
            route.layouts.insert(wrap, at: 0)
            return .route(route)
        })
}

/// Mounts the enclosed routes under `path` (for example `/admin`).
public func prefix(_ path: String, @AppBuilder _ entries: () -> AppEntry) -> AppEntry {
    let base = path.hasSuffix("/") ? String(path.dropLast()) : path
    return AppEntry(
        entries().steps.map { step in
            guard case .route(var route) = step else { return step }
            route.pattern = RoutePattern(base + route.pattern.description)
            return .route(route)
        })
}
