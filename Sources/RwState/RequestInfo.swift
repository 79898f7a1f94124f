import Foundation

/// The status and headers a request's handlers want on its response.
public struct ResponseInit: Sendable, Equatable {
    /// The status code; `nil` leaves the framework's choice (200 for pages) in place.
    public var status: Int?
    /// Header fields added to the response.
    public var headers: Headers

    /// Creates an empty set of choices.
    public init(status: Int? = nil, headers: Headers = [:]) {
        self.status = status
        self.headers = headers
    }
}

/// Everything known about the request being handled: the request itself, its route parameters,
/// the values middleware stored for later handlers (`ctx`), and the response being prepared.
///
/// One instance exists per request and is shared by every task working on it, including code of
/// a newer generation that the request reaches after a reload. All members are safe to use
/// concurrently: each read, write or in-place change of a property is one atomic operation, so
/// `info.response.headers.add(name:value:)` or `info.ctx["k"] = v` from concurrent child tasks
/// never loses a change.
public final class RequestInfo: @unchecked Sendable {
    /// The request being handled.
    public let request: RwRequest

    // Every access to `state` holds `lock`; in-place changes hold it for the whole change. The
    // lock is recursive so that a change whose right-hand side reads another property of the
    // same info cannot deadlock.
    private let lock = NSRecursiveLock()
    private var state: State

    private struct State {
        // `ctx` only ever holds `Sendable` values.
        var params: [String: String] = [:]
        var ctx: [String: any Sendable] = [:]
        var response = ResponseInit()
        var session: (any Sendable)?
    }

    /// Creates the information for one request.
    public init(request: RwRequest, params: [String: String] = [:]) {
        self.request = request
        self.state = State(params: params)
    }

    /// The parameters of the matched route, by name (`:id` → `params["id"]`, a wildcard → `"$0"`).
    public var params: [String: String] {
        get { lock.withLock { state.params } }
        set { lock.withLock { state.params = newValue } }
    }

    /// Values stored by middleware for the handlers that follow, by name.
    public var ctx: [String: any Sendable] {
        get { lock.withLock { state.ctx } }
        set { lock.withLock { state.ctx = newValue } }
        _modify {
            lock.lock()
            defer { lock.unlock() }
            yield &state.ctx
        }
    }

    /// The status and headers that handlers chose for the response. A change in place, such as
    /// `info.response.headers["X-A"] = "1"`, is one atomic operation.
    public var response: ResponseInit {
        get { lock.withLock { state.response } }
        set { lock.withLock { state.response = newValue } }
        _modify {
            lock.lock()
            defer { lock.unlock() }
            yield &state.response
        }
    }

    /// The request's session object, made with `make` on first use (one per request even under
    /// concurrent first uses). Framework glue: apps use `requestInfo.session`.
    package func session<T: Sendable>(orMake make: () -> T) -> T {
        lock.withLock {
            if let session = state.session as? T { return session }
            let session = make()
            state.session = session
            return session
        }
    }

    /// The request's session object if one was made.
    package func existingSession<T: Sendable>(as type: T.Type) -> T? {
        lock.withLock { state.session as? T }
    }

    /// Runs `body` on the response choices while no other task can read or change them, and
    /// returns what it returns.
    public func withResponse<R>(_ body: (inout ResponseInit) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state.response)
    }
}
