public import RwSDK

extension DatabaseError: HTTPStatusConvertible {
    /// A request that meets an unreachable database or a lost connection ends with a 503 page
    /// (`Retry-After: 1`) that names no server or statement; any other database error ends with
    /// a 500 page, its details shown only in development.
    public var httpStatusError: HTTPStatusError? {
        guard isUnavailable else { return nil }
        return HTTPStatusError(503, "The database is unavailable; try again in a moment.", headers: ["Retry-After": "1"])
    }
}
