import Testing

@testable import RwSDK

/// Errors of a library that choose their status through `HTTPStatusConvertible`.
@Suite(.timeLimit(.minutes(5))) struct HTTPStatusConvertibleTests {
    /// An error that is unavailable (503) or, in its other case, leaves the status to the framework.
    enum StoreError: Error, HTTPStatusConvertible {
        case down(host: String)
        case broken(detail: String)

        var httpStatusError: HTTPStatusError? {
            guard case .down = self else { return nil }
            return HTTPStatusError(503, "The store is unavailable.", headers: ["Retry-After": "5"])
        }
    }

    static let app = defineApp {
        route("/down") { () -> RwResponse in throw StoreError.down(host: "store.internal") }
        route("/broken") { () -> RwResponse in throw StoreError.broken(detail: "secret detail") }
    }

    @Test func anErrorThatNamesAStatusIsAnsweredWithItsPageAndHeaders() async {
        let page = await send(Self.app, "GET", "/down")
        #expect(page.status == 503)
        #expect(page.headers["Retry-After"] == "5")
        #expect(page.text.contains("Service Unavailable") && page.text.contains("The store is unavailable."))
        #expect(!page.text.contains("store.internal"), "the error itself is not shown, only its message")
        let json = await send(Self.app, "GET", "/down", headers: ["Accept": "application/json"])
        #expect(json.status == 503)
        #expect(json.text == #"{"error":"The store is unavailable."}"#)
    }

    @Test func anErrorThatNamesNoStatusIsA500WithDetailsOnlyInDevelopment() async {
        let production = await send(Self.app, "GET", "/broken")
        #expect(production.status == 500)
        #expect(!production.text.contains("secret detail"))
        let development = await send(Self.app, "GET", "/broken", environment: .development)
        #expect(development.status == 500)
        #expect(development.text.contains("secret detail"))
    }
}
