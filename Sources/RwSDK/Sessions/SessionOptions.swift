/// How an app keeps sessions: the store, and the session cookie's name, lifetime and attributes.
///
/// ```swift
/// public let app = defineApp(sessions: SessionOptions(store: MemorySessionStore(), secure: true)) { … }
/// ```
public struct SessionOptions: Sendable {
    /// Where sessions are kept.
    public var store: any SessionStore
    /// The session cookie's name.
    public var cookieName: String
    /// Seconds a session lasts after it was last saved.
    public var maxAge: Int
    /// Whether the cookie is sent over HTTPS only; set it when the app is served over HTTPS.
    public var secure: Bool
    /// Which cross-site requests carry the cookie.
    public var sameSite: Cookie.SameSite

    /// Options with `store` (signed cookies with ``SessionSigner/fromEnvironment()`` by default);
    /// the cookie is `rw_session`, lasts 14 days, is `HttpOnly` and `SameSite=Lax`.
    public init(
        store: any SessionStore = CookieSessionStore(),
        cookieName: String = "rw_session",
        maxAge: Int = 14 * 24 * 3600,
        secure: Bool = false,
        sameSite: Cookie.SameSite = .lax
    ) {
        self.store = store
        self.cookieName = cookieName
        self.maxAge = maxAge
        self.secure = secure
        self.sameSite = sameSite
    }

    /// The cookie carrying `token`, or expiring the session cookie when `token` is `nil`.
    func cookie(_ token: String?) -> Cookie {
        guard let token else { return Cookie.expired(cookieName) }
        return Cookie(name: cookieName, value: token, maxAge: maxAge, secure: secure, httpOnly: true, sameSite: sameSite)
    }
}
