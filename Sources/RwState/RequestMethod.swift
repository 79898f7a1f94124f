/// An HTTP request method, as routes declare which methods they answer.
///
/// Methods are compared exactly, in upper case: a method is always held in upper case. Defined in
/// the state module, so that the request (``RwRequest/method``), the routes and the dev server's
/// wire speak of the same type.
public struct RequestMethod: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The method's name in upper case, such as `GET`.
    public let name: String

    /// The method named `name` (upper-cased).
    public init(_ name: String) {
        // Methods almost always arrive in upper case already; uppercased() copies regardless.
        self.name = name.utf8.allSatisfy({ $0 < 0x80 && !(0x61...0x7a).contains($0) }) ? name : name.uppercased()
    }

    /// The method named by a string literal, such as `"PROPFIND"`.
    public init(stringLiteral name: String) { self.init(name) }

    public var description: String { name }

    public static func < (lhs: RequestMethod, rhs: RequestMethod) -> Bool { lhs.name < rhs.name }

    /// `GET`. A route answering GET also answers HEAD, with the same status and headers and no body.
    public static let get = RequestMethod("GET")
    /// `HEAD`.
    public static let head = RequestMethod("HEAD")
    /// `POST`.
    public static let post = RequestMethod("POST")
    /// `PUT`.
    public static let put = RequestMethod("PUT")
    /// `PATCH`.
    public static let patch = RequestMethod("PATCH")
    /// `DELETE`.
    public static let delete = RequestMethod("DELETE")
    /// `OPTIONS`. Answered by the framework with the path's `Allow` list unless a route takes it.
    public static let options = RequestMethod("OPTIONS")
}
