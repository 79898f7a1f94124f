import Synchronization

/// The values an app keeps for one visitor across requests, read and written through
/// `requestInfo.session`.
///
/// ```swift
/// requestInfo.session["lastGreeting"] = "Hello, Ann"
/// let last = requestInfo.session["lastGreeting"]
/// ```
///
/// A session is loaded from the request's session cookie by the app's ``SessionStore``; a
/// missing, tampered or expired cookie gives a new empty session, never an error. When the
/// request's handling changed the session it is saved and the cookie is sent again; after
/// ``destroy()`` it is deleted and the cookie expires. Safe to use from concurrent tasks.
public final class Session: Sendable {
    private struct State {
        var values: [String: String]
        var changed = false
        var destroyed = false
        /// Whether the request's handling read or changed the session.
        var used = false
    }

    private let state: Mutex<State>
    /// The cookie value the session was loaded from (`nil` for a new session).
    let token: String?

    init(values: [String: String], token: String?) {
        self.state = Mutex(State(values: values))
        self.token = token
    }

    /// The value stored under `key`; setting `nil` removes it.
    public subscript(key: String) -> String? {
        get { state.withLock { $0.values[key] } }
        set {
            state.withLock {
                guard $0.values[key] != newValue else { return }
                $0.values[key] = newValue
                $0.changed = true
            }
        }
    }

    /// Every stored value, by key.
    public var values: [String: String] { state.withLock { $0.values } }

    /// Whether the session holds no values.
    public var isEmpty: Bool { state.withLock { $0.values.isEmpty } }

    /// Ends the session: its values are dropped, the store forgets it, and the browser's cookie
    /// expires. Values set afterwards start a new session.
    public func destroy() {
        state.withLock {
            $0.values = [:]
            $0.destroyed = true
            $0.changed = false
        }
    }

    /// Marks the session as used by the request's handling (so its response is `private`).
    func used() -> Session {
        state.withLock { $0.used = true }
        return self
    }

    /// Whether the request's handling read or changed the session.
    var wasUsed: Bool { state.withLock { $0.used } }

    /// What the end of the request must do with the session.
    enum Outcome: Equatable {
        case unchanged
        case save([String: String])
        case delete
    }

    var outcome: Outcome {
        state.withLock {
            if $0.changed { return $0.values.isEmpty ? .delete : .save($0.values) }
            return $0.destroyed ? .delete : .unchanged
        }
    }
}

extension RequestInfo {
    /// The visitor's session (see ``Session``); a new empty one when the request brought no
    /// valid session cookie. A page that uses it is answered `Cache-Control: private` unless
    /// it chose a `Cache-Control` itself.
    public var session: Session {
        session(orMake: { Session(values: [:], token: nil) }).used()
    }
}
