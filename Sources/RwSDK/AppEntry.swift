/// One part of an app definition: middleware, a route, a server action, or a group of them.
public struct AppEntry: Sendable {
    enum Step: Sendable {
        case middleware(@Sendable (RequestInfo) async throws -> RwResponse?)
        case route(Route)
        case action(ServerAction)
    }

    let steps: [Step]

    init(_ steps: [Step]) { self.steps = steps }
}

/// A page or response handler bound to a route pattern.
struct Route: Sendable {
    enum Output {
        case page(any HTML)
        case response(RwResponse)
    }

    var pattern: RoutePattern
    /// The methods the route answers; HEAD is answered by GET routes too.
    let methods: Set<RequestMethod>
    let handler: @Sendable (RequestInfo) async throws -> Output
    var document: DocumentLayout?
    /// The layouts around the page, outermost first.
    var layouts: [PageLayout] = []
    /// How large the route's pages come out, so rendering reserves about that much at once.
    let pageSize = PageSizeHint()

    /// `page` inside the route's layouts (innermost first) and then its document.
    func wrap(_ page: any HTML) -> any HTML {
        var content = page
        for layout in layouts.reversed() { content = layout(content) }
        return document?(content) ?? content
    }

    /// Whether the route answers `method` (HEAD through GET when the route does not take HEAD).
    func answers(_ method: String) -> Bool {
        methods.contains { $0.name == method } || (method == "HEAD" && methods.contains(.get))
    }
}

/// Wraps a page's content in a complete document (`<html>`, `<head>`, `<body>`).
public typealias DocumentLayout = @Sendable (_ content: any HTML) -> any HTML

/// Wraps a page's content in a part of the page shared by several routes (a header, a sidebar);
/// see ``layout(_:_:)``.
public typealias PageLayout = @Sendable (_ content: any HTML) -> any HTML

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
    AppEntry([.middleware({ info in try await body(info); return nil })])
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

/// Renders the pages of the enclosed routes inside `document`. An inner `render` wins.
public func render<Document: HTML>(
    _ document: @escaping @Sendable (_ content: any HTML) -> Document,
    @AppBuilder _ entries: () -> AppEntry
) -> AppEntry {
    let layout: DocumentLayout = { document($0) }
    return AppEntry(entries().steps.map { step in
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
    return AppEntry(entries().steps.map { step in
        guard case .route(var route) = step else { return step }
        route.layouts.insert(wrap, at: 0)
        return .route(route)
    })
}

/// Mounts the enclosed routes under `path` (for example `/admin`).
public func prefix(_ path: String, @AppBuilder _ entries: () -> AppEntry) -> AppEntry {
    let base = path.hasSuffix("/") ? String(path.dropLast()) : path
    return AppEntry(entries().steps.map { step in
        guard case .route(var route) = step else { return step }
        route.pattern = RoutePattern(base + route.pattern.description)
        return .route(route)
    })
}
