import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The status and headers a request's handlers want on its response.
public struct ResponseInit: Sendable, Equatable {
    /// The status code; `nil` leaves the framework's choice (200 for pages) in place.
    public var status: ResponseStatus?
    /// Header fields added to the response.
    public var headers: Headers

    /// Creates an empty set of choices.
    public init(status: ResponseStatus? = nil, headers: Headers = [:]) {
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

    // Every access to `state` holds `mutex`; in-place changes hold it for the whole change. The
    // mutex is recursive so that a change whose right-hand side reads another property of the
    // same info cannot deadlock. It is a pthread mutex of its own, one allocation per request
    // (an `NSRecursiveLock` is an object and three more allocations on Linux).
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // Visible to inlined code: the session accessors are generic and called from RwSDK, which
    // specializes them only when it can inline them.
    @usableFromInline var state: State

    @usableFromInline struct State {
        // `ctx` only ever holds `Sendable` values.
        var params: [String: String] = [:]
        var ctx: [String: any Sendable] = [:]
        var response = ResponseInit()
        @usableFromInline var session: (any Sendable)?
    }

    /// Creates the information for one request.
    public init(request: RwRequest, params: [String: String] = [:]) {
        self.request = request
        self.state = State(params: params)
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, .init(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @usableFromInline func lock() { pthread_mutex_lock(mutex) }

    @usableFromInline func unlock() { pthread_mutex_unlock(mutex) }

    @inlinable func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }

    /// The parameters of the matched route, by name (`:id` → `params["id"]`, a wildcard → `"$0"`).
    public var params: [String: String] {
        get { withLock { state.params } }
        set { withLock { state.params = newValue } }
    }

    /// Values stored by middleware for the handlers that follow, by name.
    public var ctx: [String: any Sendable] {
        get { withLock { state.ctx } }
        set { withLock { state.ctx = newValue } }
        _modify {
            lock()
            defer { unlock() }
            yield &state.ctx
        }
    }

    /// The status and headers that handlers chose for the response. A change in place, such as
    /// `info.response.headers["X-A"] = "1"`, is one atomic operation.
    public var response: ResponseInit {
        get { withLock { state.response } }
        set { withLock { state.response = newValue } }
        _modify {
            lock()
            defer { unlock() }
            yield &state.response
        }
    }

    /// The request's session object, made with `make` on first use (one per request even under
    /// concurrent first uses). Framework glue: apps use `requestInfo.session`.
    @inlinable package func session<T: Sendable>(orMake make: () -> T) -> T {
        withLock {
            if let session = state.session as? T { return session }
            let session = make()
            state.session = session
            return session
        }
    }

    /// The request's session object if one was made.
    @inlinable package func existingSession<T: Sendable>(as type: T.Type) -> T? {
        withLock { state.session as? T }
    }

    /// Runs `body` on the response choices while no other task can read or change them, and
    /// returns what it returns.
    public func withResponse<R>(_ body: (inout ResponseInit) throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body(&state.response)
    }
}
