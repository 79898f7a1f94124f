/// An error that says which status its request ends with, so a library can type its errors
/// without knowing the app: a database that cannot be reached, for example, answers 503 in
/// development and production alike.
///
/// An error that conforms and returns an ``HTTPStatusError`` is answered exactly as if that
/// status error had been thrown (its message shown, its header fields added) and is logged as a
/// warning; one that returns `nil` is answered like any other error: a 500 page, with details
/// only in development.
public protocol HTTPStatusConvertible: Error {
    /// The status, message and header fields to answer with, or `nil` for a 500 page.
    var httpStatusError: HTTPStatusError? { get }
}
