import RwSDK

/// Sends one request to `app` and returns the response with its body as text.
func send(
    _ app: App,
    _ method: RequestMethod = .get,
    _ target: String,
    headers: Headers = [:],
    body: String = "",
    environment: RwEnvironment = .production
) async -> (status: ResponseStatus, headers: Headers, text: String) {
    let response = await app.handle(
        RwRequest(method: method, target: target, headers: headers, body: Array(body.utf8)),
        environment: environment
    )
    return (response.status, response.headers, String(decoding: response.body, as: UTF8.self))
}
