import Foundation
import Hummingbird
import NIOCore
import RwSDK
import RwServer
import RwWire
import ServiceLifecycle

/// The front process's HTTP handler: dev endpoints under `/_rw/`, everything else through the
/// gate to the runner, with the live-reload script added to HTML pages.
struct DevResponder: HTTPResponder {
    typealias Context = ServerRequestContext

    let session: DevSession
    let gateTimeout: Duration
    let maxBodySize: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        switch request.uri.path {
        case RwPaths.events:
            // Event streams end when the server shuts down, so open browser tabs never hold it up.
            let stream = await session.liveReload.subscribe().cancelOnGracefulShutdown()
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody(asyncSequence: stream.map { ByteBuffer(string: $0) })
            )
        case let path where LiveReload.scripts[path] != nil:
            return Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: LiveReload.scripts[path]!))
            )
        case RwPaths.state, RwPaths.stateJSON:
            let snapshot = await session.snapshot()
            let wantsJSON = request.uri.path.hasSuffix(".json") || (request.headers[.accept] ?? "").contains("application/json")
            return Response(wantsJSON ? StateInspector.json(snapshot) : StateInspector.page(snapshot))
        default:
            return try await forward(request)
        }
    }

    private func forward(_ request: Request) async throws -> Response {
        var refusal: RefusedRequest?
        let rwRequest: RwRequest
        if let read = try await RwRequest(request, maxBodySize: maxBodySize) {
            rwRequest = read
        } else {
            // Refused unread, as in production: the app's error handler and around-middleware
            // answer it, and the connection closes.
            rwRequest = RwRequest(headOf: request)
            refusal = RefusedRequest(rwRequest, status: 413, message: "Request body larger than \(maxBodySize) bytes.")
        }
        guard await session.gate.pass(timeout: gateTimeout) else {
            let reason = session.gate.reason ?? "a reload"
            return Response(
                withLiveReload(
                    method: rwRequest.method,
                    ErrorPage.response(
                        status: 503, title: "Still building",
                        message: "rw dev waited \(gateTimeout) for \(reason); this page reloads when it is done.",
                        detail: nil)))
        }
        let outcome = await session.forward(rwRequest, refusal: refusal)
        if refusal != nil {
            guard case .response(var response) = outcome else { return .contentTooLarge(limit: maxBodySize) }
            response.headers["Connection"] = "close"
            return Response(withLiveReload(method: rwRequest.method, response))
        }
        let response = Self.page(for: outcome, of: rwRequest)
        // A HEAD response keeps the length its GET has; it carries no body to add a script to.
        return Response(rwRequest.method == .head ? response : withLiveReload(method: rwRequest.method, response))
    }

    /// The response for `outcome`: the app's own, or an error page that says what happened to
    /// `request` and what rw dev does about it.
    static func page(for outcome: ForwardOutcome, of request: RwRequest) -> RwResponse {
        let name = "\(request.method) \(request.path)"
        switch outcome {
        case .response(let response):
            return response
        case .notCompiled(let diagnostics):
            return ErrorPage.response(
                status: 500, title: "The app has not compiled yet",
                message: "rw dev is waiting for a version of the app that compiles; this page reloads when it does.",
                detail: diagnostics)
        case .timedOut(let timedOut):
            return ErrorPage.response(
                status: 504, title: "The handler timed out",
                message: "\(name) did not answer within \(timedOut.seconds.secondsText) s "
                    + "(rw dev --request-timeout), so rw dev cancelled it. If it has not returned "
                    + "\(timedOut.graceSeconds.secondsText) s later (an infinite loop, or a wait that ignores cancellation), "
                    + "rw dev restarts the runner, and state kept with defineRwState is lost.")
        case .unresponsive(let seconds):
            return ErrorPage.response(
                status: 504, title: "The runner stopped answering",
                message: "\(name) got no answer within \(seconds.secondsText) s, "
                    + "not even the request timeout's: the runner is stopped or deadlocked. rw dev killed it and restarts it "
                    + "with the last good generation; state kept with defineRwState was lost.")
        case .crashed(let crash, let cause):
            let reason =
                crash.map { "The runner crashed (\($0.reason)) while handling \(name)." }
                ?? "The runner did not answer \(name): \(cause)."
            return ErrorPage.response(
                status: 500, title: "The app crashed",
                message: reason + " rw dev restarts it and reloads the last good generation; state kept with defineRwState was lost.",
                detail: crash?.detail)
        }
    }

    /// Adds the live-reload script to HTML responses (for a streamed page, to its first bytes),
    /// and makes a streamed page that fails after its first bytes show the error overlay.
    private func withLiveReload(method: RequestMethod, _ response: RwResponse) -> RwResponse {
        guard response.headers["Content-Type"]?.hasPrefix("text/html") == true else { return response }
        var response = response
        response.body = LiveReload.inject(into: response.body, method: method)
        response.headers["Content-Length"] = nil
        if let stream = response.stream { response.stream = Self.showingFailure(of: stream) }
        return response
    }

    /// `stream`, followed on failure by a script that shows the failure in the error overlay;
    /// then it throws, so the response ends without its proper end.
    static func showingFailure(of stream: RwBodyStream) -> RwBodyStream {
        RwBodyStream {
            var iterator = stream.makeAsyncIterator()
            var failure: (any Error)?
            return {
                if let failure { throw failure }
                do {
                    return try await iterator.next()
                } catch {
                    failure = error
                    return Array(LiveReload.overlayScript(title: "The page failed while streaming", message: "\(error)").utf8)
                }
            }
        }
    }
}
