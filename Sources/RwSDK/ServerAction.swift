import Foundation

/// A server function the browser can call by POST, from a `<form>` or from JavaScript.
///
/// Its id is stable across reloads and builds: it is the name given to ``serverAction(_:_:)``.
/// An action runs after the app's middleware, inside ``requestInfo``, and may set the response's
/// status and headers there.
public struct ServerAction: Sendable {
    /// The stable id.
    public let id: String
    let run: @Sendable (ActionInput) async throws -> [UInt8]

    /// The URL the action is invoked at.
    public let path: String

    init(id: String, run: @escaping @Sendable (ActionInput) async throws -> [UInt8]) {
        self.id = id
        self.run = run
        // Made once: every form calling the action renders it.
        self.path = ServerAction.pathPrefix + id
    }

    static let pathPrefix = RwPaths.actionPrefix

    /// Whether `id` may name an action: letters, digits, `_`, `-` and `.`, 1 to 128 characters.
    static func isValidID<S: StringProtocol>(_ id: S) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
                    return true
                default: return false
                }
            }
    }
}

/// Defines a server action with a stable `id`. Its result is sent to `fetch` callers as JSON
/// (encoded with the app's ``JSONOptions`` when it has its own); a plain form submission is
/// redirected back to the page it came from.
public func serverAction<Output: Encodable & Sendable>(
    _ id: String,
    _ body: @escaping @Sendable (ActionInput) async throws -> Output
) -> ServerAction {
    precondition(ServerAction.isValidID(id), "server action id \"\(id)\" may use only letters, digits, _, - and .")
    return ServerAction(id: id) { input in
        let output = try await body(input)
        do {
            if let options = JSONOptions.appOptions { return try options.encode(output) }
            if let json = try? FlatJSON.encode(output) { return Array(json.utf8) }
            return Array(try sharedJSONEncoder.encode(output))
        } catch {
            throw ActionOutputError(actionID: id, underlying: error)
        }
    }
}

/// The payload a server action was called with: form fields or a JSON body.
public struct ActionInput: Sendable {
    /// The raw request body.
    public let body: [UInt8]
    /// The fields of an `application/x-www-form-urlencoded` body (empty for other bodies).
    public let form: [String: String]
    /// Whether the body is JSON.
    public let isJSON: Bool

    /// Reads a request body of the given content type.
    public init(body: [UInt8], contentType: String?) {
        self.body = body
        let type = contentType?.lowercased() ?? ""
        isJSON = type.hasPrefix("application/json")
        form = type.hasPrefix("application/x-www-form-urlencoded") ? Self.parseForm(body) : [:]
    }

    /// A form field, or a top-level string field of a JSON object body.
    public subscript(field: String) -> String? {
        if let value = form[field] { return value }
        guard isJSON, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return nil
        }
        return object[field] as? String
    }

    /// Decodes the payload as `T`: a JSON body directly, form fields each converted to its
    /// property's type (as `request.decode(_:)` reads them), with the app's ``JSONOptions`` when
    /// it has its own.
    /// Throws ``HTTPStatusError`` 400 naming the problem when the payload does not fit.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            let options = JSONOptions.appOptions
            if isJSON { return try (options?.decoder ?? JSONDecoder()).decode(T.self, from: Data(body)) }
            return try FormDecoder(fields: form, keys: options?.keys ?? .asDeclared).decode(T.self)
        } catch {
            throw HTTPStatusError(400, "The action's input is not a valid \(T.self): \(Self.describe(error))")
        }
    }

    /// The form fields of `body` by name (``FormCodec``); a repeated name keeps its last value.
    static func parseForm(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in FormCodec.pairs(body) { fields[name] = value }
        return fields
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted: return "the body is not valid JSON"
        default: return String(describing: error)
        }
    }
}

/// An action's result could not be encoded as JSON.
struct ActionOutputError: Error, CustomStringConvertible {
    let actionID: String
    let underlying: Error
    var description: String { "server action \"\(actionID)\" returned a value that cannot be encoded as JSON: \(underlying)" }
}

/// A `<form>` that submits to `action` by POST.
///
/// Without JavaScript the browser comes back to the page after the action runs. With the client
/// runtime on the page and a `.data("rw-output", id)` attribute, the form is sent with `fetch`
/// and the action's JSON result is shown as the text of the element with that id.
public func form(
    action: ServerAction,
    _ attributes: Attribute...,
    @HTMLBuilder content: () -> Fragment
) -> Element {
    Element(.form, [.method("post"), .action(action.path)] + attributes, content)
}
