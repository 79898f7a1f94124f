// Shorthands for routes of one method: `get("/x") { … }` is `route("/x", methods: [.get]) { … }`.

/// A route rendering a page for GET (and so HEAD) requests.
public func get<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable () async throws -> Page) -> AppEntry {
    route(pattern, methods: [.get], page)
}

/// A route rendering a page from the request's information for GET (and so HEAD) requests.
public func get<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable (RequestInfo) async throws -> Page) -> AppEntry {
    route(pattern, methods: [.get], page)
}

/// A route answering GET (and so HEAD) requests with a response it builds itself.
public func get(_ pattern: String, _ handler: @escaping @Sendable () async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.get], handler)
}

/// A route answering GET (and so HEAD) requests with a response built from the request's information.
public func get(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.get], handler)
}

/// A route rendering a page for POST requests.
public func post<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable () async throws -> Page) -> AppEntry {
    route(pattern, methods: [.post], page)
}

/// A route rendering a page from the request's information for POST requests.
public func post<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable (RequestInfo) async throws -> Page) -> AppEntry {
    route(pattern, methods: [.post], page)
}

/// A route answering POST requests with a response it builds itself.
public func post(_ pattern: String, _ handler: @escaping @Sendable () async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.post], handler)
}

/// A route answering POST requests with a response built from the request's information.
public func post(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.post], handler)
}

/// A route rendering a page for PUT requests.
public func put<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable () async throws -> Page) -> AppEntry {
    route(pattern, methods: [.put], page)
}

/// A route rendering a page from the request's information for PUT requests.
public func put<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable (RequestInfo) async throws -> Page) -> AppEntry {
    route(pattern, methods: [.put], page)
}

/// A route answering PUT requests with a response it builds itself.
public func put(_ pattern: String, _ handler: @escaping @Sendable () async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.put], handler)
}

/// A route answering PUT requests with a response built from the request's information.
public func put(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.put], handler)
}

/// A route rendering a page for PATCH requests.
public func patch<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable () async throws -> Page) -> AppEntry {
    route(pattern, methods: [.patch], page)
}

/// A route rendering a page from the request's information for PATCH requests.
public func patch<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable (RequestInfo) async throws -> Page) -> AppEntry {
    route(pattern, methods: [.patch], page)
}

/// A route answering PATCH requests with a response it builds itself.
public func patch(_ pattern: String, _ handler: @escaping @Sendable () async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.patch], handler)
}

/// A route answering PATCH requests with a response built from the request's information.
public func patch(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.patch], handler)
}

/// A route rendering a page for DELETE requests.
public func delete<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable () async throws -> Page) -> AppEntry {
    route(pattern, methods: [.delete], page)
}

/// A route rendering a page from the request's information for DELETE requests.
public func delete<Page: HTML>(_ pattern: String, _ page: @escaping @Sendable (RequestInfo) async throws -> Page) -> AppEntry {
    route(pattern, methods: [.delete], page)
}

/// A route answering DELETE requests with a response it builds itself.
public func delete(_ pattern: String, _ handler: @escaping @Sendable () async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.delete], handler)
}

/// A route answering DELETE requests with a response built from the request's information.
public func delete(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> RwResponse) -> AppEntry {
    route(pattern, methods: [.delete], handler)
}

/// A route answering GET (and so HEAD) requests with the `Encodable` value its handler returns, as JSON.
@_disfavoredOverload
public func get<Value: Encodable & Sendable>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.get], handler)
}

/// A route answering GET (and so HEAD) requests with the ``ResponseConvertible`` value its handler returns
/// (a ``JSONResponse`` with a status and header fields of its choice).
@_disfavoredOverload
public func get<Value: ResponseConvertible>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.get], handler)
}

/// A route answering POST requests with the `Encodable` value its handler returns, as JSON.
@_disfavoredOverload
public func post<Value: Encodable & Sendable>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.post], handler)
}

/// A route answering POST requests with the ``ResponseConvertible`` value its handler returns
/// (a ``JSONResponse`` with a status and header fields of its choice).
@_disfavoredOverload
public func post<Value: ResponseConvertible>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.post], handler)
}

/// A route answering PUT requests with the `Encodable` value its handler returns, as JSON.
@_disfavoredOverload
public func put<Value: Encodable & Sendable>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.put], handler)
}

/// A route answering PUT requests with the ``ResponseConvertible`` value its handler returns
/// (a ``JSONResponse`` with a status and header fields of its choice).
@_disfavoredOverload
public func put<Value: ResponseConvertible>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.put], handler)
}

/// A route answering PATCH requests with the `Encodable` value its handler returns, as JSON.
@_disfavoredOverload
public func patch<Value: Encodable & Sendable>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.patch], handler)
}

/// A route answering PATCH requests with the ``ResponseConvertible`` value its handler returns
/// (a ``JSONResponse`` with a status and header fields of its choice).
@_disfavoredOverload
public func patch<Value: ResponseConvertible>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.patch], handler)
}

/// A route answering DELETE requests with the `Encodable` value its handler returns, as JSON.
@_disfavoredOverload
public func delete<Value: Encodable & Sendable>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.delete], handler)
}

/// A route answering DELETE requests with the ``ResponseConvertible`` value its handler returns
/// (a ``JSONResponse`` with a status and header fields of its choice).
@_disfavoredOverload
public func delete<Value: ResponseConvertible>(_ pattern: String, _ handler: @escaping @Sendable (RequestInfo) async throws -> Value) -> AppEntry {
    route(pattern, methods: [.delete], handler)
}
