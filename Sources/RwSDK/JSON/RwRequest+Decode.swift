import Foundation

extension RwRequest {
    /// The request's body decoded as `T`: a JSON body (`Content-Type: application/json`, or no
    /// content type) with the app's ``JSONOptions``, or the fields of a form
    /// (`application/x-www-form-urlencoded`), each converted to its property's type.
    ///
    /// Bad input never becomes a 500. It throws an ``HTTPStatusError``:
    /// - 400 when the body is not JSON at all;
    /// - 415 for a body of another content type;
    /// - 422 when it is JSON or a form but does not fit `T`, naming the field and the reason.
    /// The error's JSON body is `{"error": message, "field": "user.email"}` (`field` only when
    /// a field is at fault).
    public func decode<T: Decodable>(_ type: T.Type = T.self) async throws -> T {
        let options = JSONOptions.current
        switch BodyKind(contentType: headers["Content-Type"]) {
        case .form:
            return try Self.decoding(T.self) {
                try FormDecoder(fields: ActionInput.parseForm(body), keys: options.keys).decode(T.self)
            }
        case .json:
            return try Self.decoding(T.self) { try options.decoder.decode(T.self, from: Data(body)) }
        case .other(let type):
            throw HTTPStatusError(
                415, "A body of type \(type) cannot be read; send application/json or application/x-www-form-urlencoded.",
                body: DecodingProblem(error: "unsupported content type \(type)", field: nil))
        }
    }

    /// What a body is, by its `Content-Type`.
    enum BodyKind {
        case json, form
        case other(String)

        init(contentType: String?) {
            let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if type.isEmpty || type == "application/json" || type.hasSuffix("+json") {
                self = .json
            } else if type == "application/x-www-form-urlencoded" {
                self = .form
            } else {
                self = .other(type)
            }
        }
    }

    /// Runs `decode`, turning its `DecodingError` into a 400 or 422 ``HTTPStatusError``.
    static func decoding<T>(_ type: T.Type, _ decode: () throws -> T) throws -> T {
        do {
            return try decode()
        } catch let error as DecodingError {
            throw DecodingProblem.statusError(for: error, decoding: T.self)
        }
    }
}

/// The JSON body of an error answering input that could not be decoded: what is wrong, and the
/// field at fault (a dotted path such as `user.email`, `items.2.price`), if one is.
public struct DecodingProblem: Codable, Sendable, Equatable {
    /// What is wrong, in words.
    public let error: String
    /// The field at fault, or `nil` when the input as a whole is at fault.
    public let field: String?

    /// Creates a problem.
    public init(error: String, field: String?) {
        self.error = error
        self.field = field
    }

    /// The 400 (not JSON at all) or 422 (JSON or a form that does not fit `type`) for `error`.
    static func statusError(for error: DecodingError, decoding type: Any.Type) -> HTTPStatusError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            (context.codingPath + (key.map { [$0] } ?? [])).map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        let problem: DecodingProblem
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, key)
            problem = DecodingProblem(error: "missing field \"\(field)\"", field: field)
        case .typeMismatch(let expected, let context) where context.codingPath.isEmpty:
            problem = DecodingProblem(error: "the body is not \(Self.describe(expected))", field: nil)
        case .typeMismatch(let expected, let context):
            let field = path(context)
            problem = DecodingProblem(error: "field \"\(field)\" is not \(Self.describe(expected))", field: field)
        case .valueNotFound(let expected, let context) where context.codingPath.isEmpty:
            problem = DecodingProblem(error: "the body is null, expected \(Self.describe(expected))", field: nil)
        case .valueNotFound(let expected, let context):
            let field = path(context)
            problem = DecodingProblem(error: "field \"\(field)\" is null, expected \(Self.describe(expected))", field: field)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let problem = DecodingProblem(error: "the body is not valid JSON", field: nil)
            return HTTPStatusError(400, "The body is not valid JSON.", body: problem)
        case .dataCorrupted(let context):
            let field = path(context)
            problem = DecodingProblem(error: "field \"\(field)\" is invalid: \(context.debugDescription)", field: field)
        @unknown default:
            problem = DecodingProblem(error: "the body does not fit \(type)", field: nil)
        }
        return HTTPStatusError(422, "The body is not a valid \(type): \(problem.error).", body: problem)
    }

    /// A type as a client would name it: "a string", "a number".
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is Int16.Type, is Int8.Type,
            is UInt.Type, is UInt64.Type, is UInt32.Type, is UInt16.Type, is UInt8.Type:
            "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        default: "a valid \(type)"
        }
    }
}
