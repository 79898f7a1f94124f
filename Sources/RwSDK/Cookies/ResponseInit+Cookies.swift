extension ResponseInit {
    /// Adds a `Set-Cookie` field for `cookie`, keeping every cookie set before (each arrives as a
    /// field of its own). Through ``requestInfo`` it is one atomic change:
    /// `requestInfo.response.setCookie(…)`.
    public mutating func setCookie(_ cookie: Cookie) {
        headers.add(name: "Set-Cookie", value: cookie.headerValue)
    }
}
