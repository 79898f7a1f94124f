import Foundation
public import Hummingbird
public import Logging
import RwSDK

/// Serves files from a public folder for GET and HEAD requests the wrapped responder answers
/// with 404. Paths that are not plain relative paths (`..`, NUL) are never looked up; only a
/// file's content (200, 206, 304) replaces the 404: folders are not listed or redirected to (a
/// redirect for `//folder` would send browsers to the host `folder`), and any failure to serve
/// a file leaves the 404 in place.
public struct PublicFilesResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == ServerRequestContext {
    public typealias Context = ServerRequestContext

    let files: FileMiddleware<Context, LocalFileSystem>
    let inner: Inner
    let directory: String

    /// Wraps `inner`, serving files from `directory`.
    public init(directory: String, inner: Inner, logger: Logger) {
        self.files = FileMiddleware(directory, searchForIndexHtml: false, logger: logger)
        self.inner = inner
        self.directory = directory
    }

    /// `public, max-age=31536000, immutable` for a URL carrying the file's current fingerprint
    /// (`?v=…`, as ``asset(_:)`` makes), otherwise `no-cache`: caches keep the file but check
    /// with the server (`ETag`, `Last-Modified`) before each use.
    func cacheControl(for request: Request, path: String) -> String {
        let query = QueryParameters(request.uri.query ?? "")
        if let version = query["v"], version == AssetFingerprints.fingerprint(of: path, in: directory) {
            return "public, max-age=31536000, immutable"
        }
        return "no-cache"
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let response = try await inner.respond(to: request, context: context)
        guard response.status == .notFound, request.method == .get || request.method == .head,
            let path = request.uri.path.removingPercentEncoding,
            !path.contains(".."), !path.contains("\0")
        else { return response }
        do {
            var file = try await files.handle(request, context: context) { _, _ in throw HTTPError(.notFound) }
            guard file.status.kind == .successful || file.status == .notModified else { return response }
            file.headers[.cacheControl] = cacheControl(for: request, path: path)
            return file
        } catch {
            return response
        }
    }
}
