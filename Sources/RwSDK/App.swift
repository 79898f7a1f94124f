import Foundation
import Logging

/// A web app: middleware, routes and server actions, ready to answer requests.
///
/// An app keeps no request state of its own; everything about a request lives in its
/// `RequestInfo`, so the same app value can be served by the production server or by a
/// generation of reloaded code in the development server.
public struct App: Sendable {
    /// The middleware and routes, in declaration order (server actions are kept by id).
    let steps: [Step]
    let actions: [String: ServerAction]
    /// The channels, in declaration order (the first whose pattern matches a topic takes it).
    let channels: [ChannelDefinition]
    /// The raw WebSocket routes, in declaration order.
    let webSockets: [WebSocketRoute]
    let sessions: SessionOptions
    /// The app's JSON options, `nil` for the defaults (then nothing is bound per request).
    let json: JSONOptions?
    let onError: ErrorHandler?
    private let logger = Logger(label: "rw.app")

    init(_ entry: AppEntry, sessions: SessionOptions = SessionOptions(), json: JSONOptions? = nil, onError: ErrorHandler? = nil) {
        self.sessions = sessions
        self.json = json
        self.onError = onError
        steps = entry.steps.compactMap {
            switch $0 {
            case .middleware(let run): .middleware(run)
            case .around(let run): .around(run)
            case .route(let route): .route(RouteStep(route))
            case .action, .channel, .webSocket: nil
            }
        }
        channels = entry.steps.compactMap { if case .channel(let channel) = $0 { channel } else { nil } }
        webSockets = entry.steps.compactMap { if case .webSocket(let route) = $0 { route } else { nil } }
        var actions: [String: ServerAction] = [:]
        for case .action(let action) in entry.steps {
            precondition(actions[action.id] == nil, "two server actions share the id \"\(action.id)\"")
            actions[action.id] = action
        }
        self.actions = actions
    }

    /// A step of dispatch. A route sits in an object of its own, so that walking the steps copies
    /// one reference per route instead of each of its fields.
    enum Step: Sendable {
        case middleware(@Sendable (RequestInfo) async throws -> RwResponse?)
        case around(AroundMiddleware)
        case route(RouteStep)
    }

    /// A route, as a step of dispatch. Its members are read in these synchronous methods, where
    /// the route is borrowed rather than copied.
    final class RouteStep: Sendable {
        let route: Route
        init(_ route: Route) { self.route = route }

        /// The route's parameters if it matches the path split into `parts`.
        func match(_ parts: [String]) -> [String: String]? { route.pattern.match(parts: parts) }

        /// Whether the route answers `method`.
        func answers(_ method: RequestMethod) -> Bool { route.answers(method) }

        /// The methods the route answers.
        var methods: Set<RequestMethod> { route.methods }

        /// The route's handler.
        var handler: @Sendable (RequestInfo) async throws -> Route.Output { route.handler }

        /// The route's guards, outermost first.
        var guards: [RouteGuard] { route.guards }

        /// `page` inside the route's layouts and document, rendered straight into bytes (no
        /// String, no copy): `"<!DOCTYPE html>"` and the markup, with awaited content recorded.
        func render(_ page: any HTML) -> HTMLOutput {
            var html = HTMLOutput(capacity: route.pageSize.capacity)
            html.append("<!DOCTYPE html>")
            route.wrap(page).render(into: &html)
            route.pageSize.record(html.count)
            return html
        }
    }

    /// The ids of the app's server actions, sorted.
    public var actionIDs: [String] { actions.keys.sorted() }

    /// Answers `request`. Never throws: errors become error pages (with details only in
    /// `.development`), an unmatched path a 404 page.
    ///
    /// A HEAD request gets what the same GET would get, without the body: its `Content-Length`
    /// is the length the GET body would have (none for a streamed page).
    ///
    /// A page with ``Await`` content is streamed: the response's `body` holds the markup before
    /// the first `Await`, its `stream` the rest.
    public func handle(_ request: RwRequest, environment: RwEnvironment = .production) async -> RwResponse {
        let response = await respond(to: request, environment: environment)
        guard request.method == "HEAD" else { return response }
        var head = response
        // A streamed body's length is not known without producing it.
        if head.headers["Content-Length"] == nil, head.stream == nil { head.headers["Content-Length"] = String(head.body.count) }
        head.body = []
        head.stream = nil
        return head
    }

    private func respond(to request: RwRequest, environment: RwEnvironment) async -> RwResponse {
        if environment == .development { AssetFingerprints.lookEveryTime() }
        if request.path == ClientRuntime.path, request.method == "GET" || request.method == "HEAD" {
            return RwResponse(
                headers: ["Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache"],
                body: ClientRuntime.source
            )
        }
        if request.path == ClientRuntime.channelPath, request.method == "GET" || request.method == "HEAD" {
            return RwResponse(
                headers: ["Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache"],
                body: ClientRuntime.channelSource
            )
        }
        if !channels.isEmpty || !webSockets.isEmpty, let refusal = socketRefusal(for: request) {
            return await reject(request, with: refusal, environment: environment)
        }
        let info = RequestInfo(request: request)
        return await withOptions {
            await withRequestInfo(info) {
                do {
                    let token = request.cookies[sessions.cookieName]
                    if let token, let values = try await sessions.store.load(token) {
                        _ = info.session(orMake: { Session(values: values, token: token) })
                    }
                    let response = await answer(info, environment: environment, from: 0, allowed: [], rejection: nil)
                    return try await finishSession(response, info, cookie: token)
                } catch {
                    return await errorResponse(for: error, info: info, environment: environment)
                }
            }
        }
    }

    /// Runs `body` with the app's JSON options as the current ones, when it has its own.
    private func withOptions<T: Sendable>(_ body: () async -> T) async -> T {
        guard let json else { return await body() }
        return await JSONOptions.$appOptions.withValue(json, operation: body)
    }

    /// Answers `request` with `error` without running its routes or plain middleware: for a
    /// request a server refuses before the app sees it, such as one whose body is over the size
    /// limit (413). The app's `middleware { info, next in … }` entries and its `onError` handler
    /// see the error response and may change it. The request's body is not read.
    public func reject(_ request: RwRequest, with error: HTTPStatusError, environment: RwEnvironment = .production) async -> RwResponse {
        let info = RequestInfo(request: request)
        return await withOptions {
            await withRequestInfo(info) {
                await answer(info, environment: environment, from: 0, allowed: [], rejection: error)
            }
        }
    }

    /// Runs the steps from `start` on, and answers an error they throw with the error response.
    /// `allowed` holds the methods of routes that matched the path under other methods so far.
    /// A `rejection` skips plain middleware and routes: only `around` middleware runs, and the
    /// rejection is the answer.
    private func answer(
        _ info: RequestInfo, environment: RwEnvironment, from start: Int, allowed: Set<RequestMethod>, rejection: HTTPStatusError?
    ) async -> RwResponse {
        do {
            return try await dispatch(info, environment: environment, from: start, allowed: allowed, rejection: rejection)
        } catch {
            return await errorResponse(for: error, info: info, environment: environment)
        }
    }

    private func dispatch(
        _ info: RequestInfo, environment: RwEnvironment, from start: Int, allowed: Set<RequestMethod>, rejection: HTTPStatusError?
    ) async throws -> RwResponse {
        let request = info.request
        let isAction = request.path.hasPrefix(ServerAction.pathPrefix)
        // Split once; nil (an undecodable path, or a rejected request) matches no route.
        let parts = isAction || rejection != nil ? nil : RoutePattern.parts(of: request.path)
        // The methods of routes whose pattern matched under another method.
        var allowed = allowed
        var index = start
        while index < steps.count {
            defer { index += 1 }
            switch steps[index] {
            case .middleware(let run):
                guard rejection == nil else { continue }
                if let response = try await run(info) { return finish(response, info) }
            case .around(let run):
                let rest = index + 1
                let allowedSoFar = allowed
                return try await run(info) {
                    await self.answer(info, environment: environment, from: rest, allowed: allowedSoFar, rejection: rejection)
                }
            case .route(let step):
                guard let parts, let params = step.match(parts) else { continue }
                guard step.answers(request.method) else {
                    allowed.formUnion(step.methods)
                    continue
                }
                info.params = params
                for check in step.guards {
                    if let response = try await check(info) { return finish(response, info) }
                }
                switch try await step.handler(info) {
                case .response(let response):
                    return finish(response, info)
                case .convertible(let value):
                    return finish(try value.response(json: json ?? .standard), info)
                case .json(let value):
                    let body = try (json ?? .standard).encode(value)
                    return finish(RwResponse(headers: ["Content-Type": "application/json"], body: body), info)
                case .page(let page):
                    let html = step.render(page)
                    var response = RwResponse(headers: ["Content-Type": "text/html; charset=utf-8"], body: html.bytes)
                    if html.hasDeferredContent {
                        let (first, rest) = html.streamed()
                        response.body = first
                        response.stream = rest.map { streaming($0, info, environment: environment) }
                    }
                    return finish(response, info)
                }
            }
        }
        if let rejection { throw rejection }
        if isAction { return try await runAction(info) }
        if !allowed.isEmpty {
            if allowed.contains(.get) { allowed.insert(.head) }
            allowed.insert(.options)
            let allow = allowed.sorted().map(\.name).joined(separator: ", ")
            if request.method == "OPTIONS" {
                return finish(RwResponse(status: 204, headers: ["Allow": allow]), info)
            }
            throw HTTPStatusError(405, "\(request.path) does not answer \(request.method); it answers \(allow).", headers: ["Allow": allow])
        }
        throw HTTPStatusError(404, "No route matches \(request.method) \(request.path).")
    }

    /// `rest` of a streamed page, produced with `info` as the current request. When producing
    /// fails, a visible notice ends the page (with the error in `.development`), then the
    /// stream throws, so the response ends without its proper end.
    private func streaming(_ rest: RwBodyStream, _ info: RequestInfo, environment: RwEnvironment) -> RwBodyStream {
        let logger = logger
        return RwBodyStream {
            var iterator = rest.makeAsyncIterator()
            var failure: (any Error)?
            return {
                if let failure { throw failure }
                do {
                    return try await withRequestInfo(info) { try await iterator.next() }
                } catch {
                    let request = info.request
                    logger.error("\(request.method) \(request.path) failed after its first bytes were sent: \(String(reflecting: error))")
                    failure = error
                    var notice = HTMLOutput(capacity: 256)
                    notice.append(markup: "<p role=\"alert\" data-rw-stream-error>")
                    notice.append(text: "The rest of this page could not be rendered.")
                    if environment == .development {
                        notice.append(markup: "<pre>")
                        notice.append(text: String(reflecting: error))
                        notice.append(markup: "</pre>")
                    }
                    notice.append(markup: "</p>")
                    return notice.bytes
                }
            }
        }
    }

    private func runAction(_ info: RequestInfo) async throws -> RwResponse {
        let request = info.request
        let id = request.path.dropFirst(ServerAction.pathPrefix.count)
        guard ServerAction.isValidID(id) else {
            throw HTTPStatusError(400, "\"\(id)\" is not a valid server action id.")
        }
        guard let action = actions[String(id)] else {
            throw HTTPStatusError(404, "No server action has the id \"\(id)\".")
        }
        guard request.method == "POST" else {
            throw HTTPStatusError(405, "Server actions are called with POST, not \(request.method).", headers: ["Allow": "POST"])
        }
        if let origin = request.headers["Origin"], !Self.isSameOrigin(origin, host: request.headers["Host"]) {
            throw HTTPStatusError(403, "Cross-origin call of server action \"\(id)\" from \(origin) refused.")
        }
        let input = ActionInput(body: request.body, contentType: request.headers["Content-Type"])
        let json = try await action.run(input)
        if request.prefersJSON || info.response.headers["Location"] != nil {
            return finish(RwResponse(headers: ["Content-Type": "application/json"], body: json), info)
        }
        // A form submitted without JavaScript: go back to the page it came from.
        let back = Self.localPath(ofReferer: request.headers["Referer"])
        return finish(RwResponse(status: 303, headers: ["Location": back]), info)
    }

    /// The path and query of `referer` as a redirect target that stays on this site, so a form
    /// on `/search?q=swift` leads back there: still percent-encoded (a decoded
    /// `%2F%2Fevil.example` would read as another host) and with one leading slash
    /// (`//evil.example` is another host to a browser); `/` when there is none.
    static func localPath(ofReferer referer: String?) -> String {
        guard let referer, let components = URLComponents(string: referer) else { return "/" }
        let rest = components.percentEncodedPath.drop { $0 == "/" || $0 == "\\" }
        let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        return "/" + rest + query
    }

    /// Applies the status and headers handlers chose through ``requestInfo``: a chosen field
    /// replaces the response's fields of that name, every chosen field is kept (so two fields of
    /// one name both arrive), and `Set-Cookie` fields are added to the response's own.
    ///
    /// An error response (`keepStatus`) keeps its own status and gets the chosen headers, so a
    /// header that middleware set survives an error.
    private func finish(_ response: RwResponse, _ info: RequestInfo, keepStatus: Bool = false) -> RwResponse {
        let choices = info.response
        guard (choices.status != nil && !keepStatus) || choices.headers.count > 0 else { return response }
        var response = response
        if let status = choices.status, !keepStatus { response.status = status }
        let fields = choices.headers.fields
        for index in fields.indices {
            let name = fields[index].name
            // The first chosen field of a name replaces the response's fields of that name.
            if !Headers.same(name, "Set-Cookie"), !fields[..<index].contains(where: { Headers.same($0.name, name) }) {
                response.headers.remove(name)
            }
            response.headers.add(name: name, value: fields[index].value)
        }
        return response
    }

    /// Saves or deletes the request's session as its handling left it and sends the cookie; a
    /// response of a request that used the session, or that sets a cookie, is `private` unless it
    /// has a `Cache-Control` of its own. `cookie` is the session cookie the request came with.
    private func finishSession(_ response: RwResponse, _ info: RequestInfo, cookie: String?) async throws -> RwResponse {
        var response = response
        let session = info.existingSession(as: Session.self)
        if let session {
            switch session.outcome {
            case .unchanged:
                if cookie != nil, session.token == nil { response.headers.add(name: "Set-Cookie", value: sessions.cookie(nil).headerValue) }
            case .save(let values):
                let expires = Date(timeIntervalSinceNow: TimeInterval(sessions.maxAge))
                let token = try await sessions.store.save(values, token: session.token, expires: expires)
                response.headers.add(name: "Set-Cookie", value: sessions.cookie(token).headerValue)
            case .delete:
                if let token = session.token { try await sessions.store.delete(token) }
                if cookie != nil { response.headers.add(name: "Set-Cookie", value: sessions.cookie(nil).headerValue) }
            }
        }
        if response.headers["Cache-Control"] == nil, session?.wasUsed == true || response.headers["Set-Cookie"] != nil {
            response.headers["Cache-Control"] = "private"
        }
        return response
    }

    /// The response for `error`: the app's `onError` answer if it gives one, else the default
    /// (see ``defaultErrorResponse(for:request:environment:)``); either way with the header fields
    /// of the error and those chosen through ``requestInfo``, and the error's status unless the
    /// handler chose another.
    private func errorResponse(for error: Error, info: RequestInfo, environment: RwEnvironment) async -> RwResponse {
        let request = info.request
        var statusError: HTTPStatusError
        if let error = error as? HTTPStatusError {
            statusError = error
        } else if let convertible = error as? any HTTPStatusConvertible, let converted = convertible.httpStatusError {
            logger.warning("\(request.method) \(request.path) answered \(converted.status): \(error)")
            statusError = converted
            statusError.cause = error
        } else {
            logger.error("\(request.method) \(request.path) failed: \(String(reflecting: error))")
            statusError = HTTPStatusError(500, "The server could not handle \(request.method) \(request.path).")
            statusError.cause = error
        }
        if let onError {
            do {
                if var response = try await onError(statusError, info) {
                    for field in statusError.headers where response.headers[field.name] == nil {
                        response.headers.add(name: field.name, value: field.value)
                    }
                    return finish(response, info, keepStatus: true)
                }
            } catch {
                logger.error("\(request.method) \(request.path): the error handler failed: \(String(reflecting: error))")
            }
        }
        var response = Self.defaultErrorResponse(for: statusError, request: request, json: json ?? .standard, environment: environment)
        for field in statusError.headers { response.headers.add(name: field.name, value: field.value) }
        return finish(response, info, keepStatus: true)
    }

    /// The framework's answer to `error` without the error's header fields: its `body` as JSON,
    /// unless the client asks for HTML only; `{"error": message}` for a client that prefers JSON
    /// (see `RwRequest.prefersJSON`); an HTML error page otherwise. A 500 shows what went wrong
    /// (its `cause`) only in `.development`.
    static func defaultErrorResponse(
        for error: HTTPStatusError, request: RwRequest, json: JSONOptions, environment: RwEnvironment
    ) -> RwResponse {
        let detail = environment == .development && error.status == 500 ? error.cause.map { String(reflecting: $0) } : nil
        if let body = error.body, !request.acceptsOnlyHTML, let bytes = try? json.encode(body) {
            return RwResponse(status: error.status, headers: ["Content-Type": "application/json"], body: bytes)
        }
        if request.prefersJSON {
            var fields = ["error": error.message]
            if let detail { fields["detail"] = detail }
            let body = (try? sharedJSONEncoder.encode(fields)) ?? Data()
            return RwResponse(status: error.status, headers: ["Content-Type": "application/json"], body: Array(body))
        }
        return ErrorPage.response(status: error.status, title: error.status.reasonPhrase, message: error.message, detail: detail)
    }

    static func isSameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority.lowercased() == host.lowercased()
    }
}

/// Defines an app from middleware, routes and server actions, handled in declaration order:
/// each middleware runs until a route matches; server actions run after all middleware.
///
/// ```swift
/// public let app = defineApp {
///     middleware { info in info.ctx["requestID"] = UUID().uuidString }
///     render(Document) {
///         route("/") { HomePage() }
///         route("/users/:id") { info in UserPage(id: info.params["id"]!) }
///     }
///     greet
/// }
/// ```
///
/// `sessions` says where `requestInfo.session` is kept: by default in a signed cookie (see
/// ``SessionOptions``).
///
/// `json` says how JSON is written and read (route values, `request.decode`, error bodies).
///
/// `onError` answers every error response: a thrown error, the framework's 404, 405 and 500, and
/// a body over the server's size limit (413). It gets the error as an ``HTTPStatusError`` (an
/// error of no status as a 500 whose `cause` is what was thrown) and returns the response, or
/// `nil` for the default one. The response keeps the header fields chosen through
/// ``requestInfo`` (such as CORS headers set by middleware).
public func defineApp(
    sessions: SessionOptions = SessionOptions(),
    json: JSONOptions? = nil,
    onError: ErrorHandler? = nil,
    @AppBuilder _ entries: () -> AppEntry
) -> App {
    App(entries(), sessions: sessions, json: json, onError: onError)
}

/// An app's error handler (see ``defineApp(sessions:json:onError:_:)``): the response for an
/// error, or `nil` for the framework's default.
public typealias ErrorHandler = @Sendable (_ error: HTTPStatusError, _ info: RequestInfo) async throws -> RwResponse?
