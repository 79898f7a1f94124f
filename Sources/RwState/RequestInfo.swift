import Synchronization

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
/// concurrently; each read or write of a property is atomic.
public final class RequestInfo: Sendable {
    /// The request being handled.
    public let request: RwRequest

    private let state: Mutex<State>

    private struct State: @unchecked Sendable {
        // `ctx` only ever holds `Sendable` values.
        var params: [String: String] = [:]
        var ctx: [String: any Sendable] = [:]
        var response = ResponseInit()
    }

    /// Creates the information for one request.
    public init(request: RwRequest, params: [String: String] = [:]) {
        self.request = request
        self.state = Mutex(State(params: params))
    }

    /// The parameters of the matched route, by name (`:id` → `params["id"]`, a wildcard → `"$0"`).
    public var params: [String: String] {
        get { state.withLock { $0.params } }
        set { state.withLock { $0.params = newValue } }
    }

    /// Values stored by middleware for the handlers that follow, by name.
    public var ctx: [String: any Sendable] {
        get { state.withLock { $0.ctx } }
        set { state.withLock { $0.ctx = newValue } }
    }

    /// The status and headers that handlers chose for the response.
    public var response: ResponseInit {
        get { state.withLock { $0.response } }
        set { state.withLock { $0.response = newValue } }
    }
}
