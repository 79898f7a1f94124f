import Foundation
public import RwSDK
import Synchronization

/// A client that sends requests to an app in process (no server, no sockets) and carries the
/// cookies the app sets from one request to the next, as a browser would.
///
/// ```swift
/// try await app.test { client in
///     let page = await client.get("/")
///     #expect(page.status == 200)
///     await client.post("/_rw/action/greet", form: ["name": "Ann"])
///     #expect(await client.get("/").text.contains("Hello, Ann"))
/// }
/// ```
public final class TestClient: Sendable {
    /// The app the requests go to.
    public let app: App
    /// The environment the app answers in (error pages show details in `.development`).
    public let environment: RwEnvironment
    /// The `Host` every request carries (server actions compare `Origin` with it).
    public let host: String
    private let jar = Mutex<[String: String]>([:])

    init(app: App, environment: RwEnvironment, host: String) {
        self.app = app
        self.environment = environment
        self.host = host
    }

    /// The cookies the client holds, by name.
    public var cookies: [String: String] {
        get { jar.withLock { $0 } }
        set { jar.withLock { $0 = newValue } }
    }

    /// Sends a request and returns the response; the request carries `Host`, the held cookies
    /// (unless `headers` has a `Cookie` field) and `headers`, and the response's `Set-Cookie`
    /// fields update the held cookies (an expired one is dropped).
    @discardableResult
    public func request(_ method: RequestMethod, _ target: String, headers: Headers = [:], body: [UInt8] = []) async -> TestResponse {
        var fields: Headers = ["Host": host]
        let held = cookies
        if headers["Cookie"] == nil, !held.isEmpty {
            fields.add(name: "Cookie", value: held.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        for field in headers { fields.add(name: field.name, value: field.value) }
        let response = await app.handle(RwRequest(method: method, target: target, headers: fields, body: body), environment: environment)
        for field in response.headers.values(for: "Set-Cookie") { receive(field) }
        guard let stream = response.stream else { return TestResponse(response) }
        // A streamed page: every piece, as a server would send it.
        var streamed = response
        streamed.stream = nil
        var failure: String?
        do {
            for try await piece in stream { streamed.body += piece }
        } catch {
            failure = String(reflecting: error)
        }
        return TestResponse(streamed, streamFailure: failure)
    }

    /// Sends a GET request.
    @discardableResult
    public func get(_ target: String, headers: Headers = [:]) async -> TestResponse {
        await request(.get, target, headers: headers)
    }

    /// Sends a POST request with `form` as an `application/x-www-form-urlencoded` body, as a
    /// browser submits a form.
    @discardableResult
    public func post(_ target: String, form: [String: String], headers: Headers = [:]) async -> TestResponse {
        let body = form.sorted { $0.key < $1.key }.map { "\(FormCodec.encode($0.key))=\(FormCodec.encode($0.value))" }.joined(separator: "&")
        var fields: Headers = ["Content-Type": "application/x-www-form-urlencoded"]
        for field in headers { fields.add(name: field.name, value: field.value) }
        return await request(.post, target, headers: fields, body: Array(body.utf8))
    }

    /// Sends a POST request with `json` (UTF-8 JSON text) as its body, asking for JSON back, as
    /// `rw.callServerAction` does.
    @discardableResult
    public func post(_ target: String, json: String, headers: Headers = [:]) async -> TestResponse {
        var fields: Headers = ["Content-Type": "application/json", "Accept": "application/json"]
        for field in headers { fields.add(name: field.name, value: field.value) }
        return await request(.post, target, headers: fields, body: Array(json.utf8))
    }

    private func receive(_ setCookie: String) {
        let attributes = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = attributes.first, let equals = pair.firstIndex(of: "=") else { return }
        let name = String(pair[..<equals])
        let value = String(pair[pair.index(after: equals)...])
        let expired = attributes.dropFirst().contains { attribute in
            let lower = attribute.lowercased()
            if lower.hasPrefix("max-age="), let seconds = Int(lower.dropFirst(8)) { return seconds <= 0 }
            return false
        }
        jar.withLock { $0[name] = expired ? nil : value }
    }
}

/// A response the ``TestClient`` received.
public struct TestResponse: Sendable {
    /// The status.
    public let status: ResponseStatus
    /// The header fields, in order.
    public let headers: Headers
    /// The body; for a streamed page, every piece of it.
    public let body: [UInt8]
    /// Why a streamed body ended before its end (after `body`), or `nil` when it is complete.
    public let streamFailure: String?

    init(_ response: RwResponse, streamFailure: String? = nil) {
        status = response.status
        headers = response.headers
        body = response.body
        self.streamFailure = streamFailure
    }

    /// The body as UTF-8 text (invalid bytes repaired).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

extension App {
    /// Runs `body` with a ``TestClient`` sending requests to this app in process; the client keeps
    /// cookies between requests for the whole of `body`.
    ///
    /// `environment` is `.development` by default, so an unexpected error's page shows its
    /// details in the test's output.
    public func test<R>(
        environment: RwEnvironment = .development,
        host: String = "localhost",
        _ body: (TestClient) async throws -> R
    ) async rethrows -> R {
        try await body(TestClient(app: self, environment: environment, host: host))
    }
}
