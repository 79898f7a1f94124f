import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
public import RwSDK

extension RwRequest {
    /// Converts a Hummingbird request, collecting its body; `nil` when the body is larger than
    /// `maxBodySize` bytes. The request's authority becomes its `Host` header.
    public init?(_ request: Request, maxBodySize: Int) async throws {
        let body: [UInt8]
        // `contains` first: reading a field by name joins its values into a new string.
        if !request.headers.contains(.contentLength), !request.headers.contains(.transferEncoding) {
            body = []
        } else {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodySize {
                return nil
            }
            do {
                body = Array(buffer: try await request.body.collect(upTo: maxBodySize))
            } catch is NIOTooManyBytesError {
                return nil
            } catch let error as HTTPError where error.status == .contentTooLarge {
                return nil
            }
        }
        self.init(headOf: request, body: body)
    }

    /// Converts a Hummingbird request's head, with `body` as its body (the request's own is not
    /// read). The request's authority becomes its `Host` header.
    public init(headOf request: Request, body: [UInt8] = []) {
        self.init(method: RequestMethod(request.method.rawValue), target: request.uri.description, headers: Self.headers(of: request.head), body: body)
    }

    /// Converts a request head without a body (a WebSocket upgrade). The request's authority
    /// becomes its `Host` header.
    package init(head: HTTPRequest) {
        self.init(method: RequestMethod(head.method.rawValue), target: head.path ?? "/", headers: Self.headers(of: head))
    }

    private static func headers(of head: HTTPRequest) -> Headers {
        var fields: [Headers.Field] = []
        fields.reserveCapacity(head.headerFields.count + 1)
        // HTTP/1.1's Host header arrives as the request's authority, not among its fields; the
        // app needs it (the same-origin checks of server actions and sockets compare Origin
        // with it).
        if let authority = head.authority {
            fields.append(Headers.Field(name: "Host", value: authority))
        }
        for field in head.headerFields {
            fields.append(Headers.Field(name: field.name.rawName, value: field.value))
        }
        return Headers(fields)
    }
}

extension Response {
    /// Converts a framework response.
    public init(_ rwResponse: RwResponse) {
        var fields = HTTPFields()
        fields.reserveCapacity(rwResponse.headers.count)
        for field in rwResponse.headers {
            // The names the framework itself sets skip validating and lower-casing.
            let name: HTTPField.Name? =
                switch field.name {
                case "Content-Type": .contentType
                case "Cache-Control": .cacheControl
                case "Set-Cookie": .setCookie
                case "Location": .location
                default: HTTPField.Name(field.name)
                }
            if let name { fields.append(HTTPField(name: name, value: field.value)) }
        }
        let body: ResponseBody
        if let stream = rwResponse.stream {
            // Pieces are produced as the connection takes them (each write waits for the channel
            // to be writable), so a slow client holds up the page instead of filling memory. A
            // failure ends the response without its last chunk: the client sees it incomplete.
            let first = rwResponse.body
            body = ResponseBody { writer in
                if !first.isEmpty { try await writer.write(ByteBuffer(bytes: first)) }
                for try await piece in stream where !piece.isEmpty {
                    try await writer.write(ByteBuffer(bytes: piece))
                }
                try await writer.finish(nil)
            }
        } else {
            body = ResponseBody(byteBuffer: ByteBuffer(bytes: rwResponse.body))
        }
        self.init(status: HTTPResponse.Status(code: rwResponse.status.code), headers: fields, body: body)
    }

    /// The 413 response for `request`, whose body is over `limit` bytes: the app's answer to the
    /// error (its `onError` handler and `middleware { info, next in … }` entries see it; the body
    /// is not read). It closes the connection.
    public static func contentTooLarge(_ request: Request, limit: Int, app: App, environment: RwEnvironment) async -> Response {
        let error = HTTPStatusError(413, "Request body larger than \(limit) bytes.")
        var response = await app.reject(RwRequest(headOf: request), with: error, environment: environment)
        response.headers["Connection"] = "close"
        return Response(response)
    }

    /// The 413 response for a body over `limit` bytes, made without an app; it closes the
    /// connection.
    public static func contentTooLarge(limit: Int) -> Response {
        Response(
            status: .contentTooLarge,
            headers: [.contentType: "text/plain; charset=utf-8", .connection: "close"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Request body larger than \(limit) bytes.\n"))
        )
    }
}
