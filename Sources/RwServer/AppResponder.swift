import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RwSDK

/// Answers HTTP requests with an RwSDK app: converts Hummingbird requests to `RwRequest`,
/// enforces the body size limit, and converts the app's `RwResponse` back.
struct AppResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let app: App
    let environment: RwEnvironment
    let maxBodySize: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let body: [UInt8]
        if request.headers[.contentLength] == nil, request.headers[.transferEncoding] == nil {
            body = []
        } else {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodySize {
                return Self.tooLarge(maxBodySize)
            }
            do {
                body = Array(buffer: try await request.collectBody(upTo: maxBodySize))
            } catch is NIOTooManyBytesError {
                return Self.tooLarge(maxBodySize)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                return Self.tooLarge(maxBodySize)
            }
        }
        var headers = Headers()
        for field in request.headers {
            headers.add(name: field.name.rawName, value: field.value)
        }
        let rwRequest = RwRequest(
            method: request.method.rawValue,
            target: request.uri.description,
            headers: headers,
            body: body
        )
        return Self.response(from: await app.handle(rwRequest, environment: environment))
    }

    static func response(from rwResponse: RwResponse) -> Response {
        var fields = HTTPFields()
        for field in rwResponse.headers {
            if let name = HTTPField.Name(field.name) { fields.append(HTTPField(name: name, value: field.value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: rwResponse.status),
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: rwResponse.body))
        )
    }

    static func tooLarge(_ limit: Int) -> Response {
        Response(
            status: .contentTooLarge,
            headers: [.contentType: "text/plain; charset=utf-8", .connection: "close"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Request body larger than \(limit) bytes.\n"))
        )
    }
}

/// Serves files from the public folder for GET and HEAD requests the app answers with 404.
/// Paths that are not plain relative paths (`..`, NUL) are never looked up; any failure to serve
/// a file leaves the app's 404 in place.
struct PublicFilesResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let files: FileMiddleware<Context, LocalFileSystem>
    let app: AppResponder

    func respond(to request: Request, context: Context) async throws -> Response {
        let response = try await app.respond(to: request, context: context)
        guard response.status == .notFound, request.method == .get || request.method == .head,
            let path = request.uri.path.removingPercentEncoding,
            !path.contains(".."), !path.contains("\0")
        else { return response }
        do {
            return try await files.handle(request, context: context) { _, _ in throw HTTPError(.notFound) }
        } catch {
            return response
        }
    }
}
