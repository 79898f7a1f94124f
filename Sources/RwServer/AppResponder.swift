import Hummingbird
import RwSDK

/// Answers HTTP requests with an RwSDK app: converts Hummingbird requests to `RwRequest`,
/// enforces the body size limit, and converts the app's `RwResponse` back.
struct AppResponder: HTTPResponder {
    typealias Context = ServerRequestContext

    let app: App
    let environment: RwEnvironment
    let maxBodySize: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let rwRequest = try await RwRequest(request, maxBodySize: maxBodySize) else {
            return await .contentTooLarge(request, limit: maxBodySize, app: app, environment: environment)
        }
        return Response(await app.handle(rwRequest, environment: environment))
    }
}
