import Foundation
import Hummingbird
import NIOCore
import RwSDK
import RwServer
import ServiceLifecycle

/// The front process's HTTP handler: dev endpoints under `/_rw/`, everything else through the
/// gate to the runner, with the live-reload script added to HTML pages.
struct DevResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let session: DevSession
    let gateTimeout: Duration
    let maxBodySize: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        switch request.uri.path {
        case "/_rw/events":
            // Event streams end when the server shuts down, so open browser tabs never hold it up.
            let stream = await session.liveReload.subscribe().cancelOnGracefulShutdown()
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody(asyncSequence: stream.map { ByteBuffer(string: $0) })
            )
        case "/_rw/live.js":
            return Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: LiveReload.script))
            )
        case "/_rw/state", "/_rw/state.json":
            let snapshot = await session.snapshot()
            let wantsJSON = request.uri.path.hasSuffix(".json") || (request.headers[.accept] ?? "").contains("application/json")
            return Response(wantsJSON ? StateInspector.json(snapshot) : StateInspector.page(snapshot))
        default:
            return try await forward(request)
        }
    }

    private func forward(_ request: Request) async throws -> Response {
        guard let rwRequest = try await RwRequest(request, maxBodySize: maxBodySize) else {
            return .contentTooLarge(limit: maxBodySize)
        }
        guard await session.gate.pass(timeout: gateTimeout) else {
            let reason = session.gate.reason ?? "a reload"
            return Response(
                withLiveReload(
                    ErrorPage.response(
                        status: 503, title: "Still building",
                        message: "rw dev waited \(gateTimeout) for \(reason); this page reloads when it is done.",
                        detail: nil)))
        }
        let response = await session.forward(rwRequest)
        // A HEAD response keeps the length its GET has; it carries no body to add a script to.
        return Response(rwRequest.method == "HEAD" ? response : withLiveReload(response))
    }

    /// Adds the live-reload script to HTML responses.
    private func withLiveReload(_ response: RwResponse) -> RwResponse {
        guard response.headers["Content-Type"]?.hasPrefix("text/html") == true else { return response }
        var response = response
        response.body = LiveReload.inject(into: response.body)
        response.headers["Content-Length"] = nil
        return response
    }
}
