/// A value a route answers with: its handler may return any `Encodable` value (answered as JSON
/// with status 200), a ``JSONResponse`` (JSON with a status and header fields of its choice), or
/// an `RwResponse`.
public protocol ResponseConvertible: Sendable {
    /// The response for this value; `json` says how values are encoded.
    func response(json: JSONOptions) throws -> RwResponse
}

extension RwResponse: ResponseConvertible {
    /// The response itself.
    public func response(json: JSONOptions) throws -> RwResponse { self }
}

/// An `Encodable` value answered as JSON with a chosen status and header fields:
/// `JSONResponse(article, status: 201, headers: ["Location": "/articles/7"])`.
public struct JSONResponse<Value: Encodable & Sendable>: ResponseConvertible {
    /// The value sent as the body.
    public var value: Value
    /// The status code.
    public var status: ResponseStatus
    /// Header fields besides `Content-Type`.
    public var headers: Headers

    /// Creates the response.
    public init(_ value: Value, status: ResponseStatus = .ok, headers: Headers = [:]) {
        self.value = value
        self.status = status
        self.headers = headers
    }

    /// The value encoded with the app's ``JSONOptions``, `Content-Type: application/json`.
    public func response(json: JSONOptions) throws -> RwResponse {
        var response = RwResponse(status: status, headers: ["Content-Type": "application/json"], body: try json.encode(value))
        for field in headers {
            if Headers.same(field.name, "Content-Type") { response.headers.remove("Content-Type") }
            response.headers.add(name: field.name, value: field.value)
        }
        return response
    }
}
