import RwSDKTesting
import Testing

@testable import HelloWorld

/// The app's behaviour, checked in process: no server, no browser.
@Suite struct HelloWorldTests {
    @Test func theHomePageShowsTheLastGreetingKeptInTheSession() async throws {
        try await app.test { client in
            let page = await client.get("/")
            #expect(page.status == 200)
            #expect(page.text.contains("<h1>Hello, World!</h1>"))
            #expect(page.text.contains("No greeting yet."))

            let greeting = await client.post("/_rw/action/greet", json: #"{"name":"Ann"}"#)
            #expect(greeting.status == 200)
            #expect(greeting.headers["X-Greeting"] == "Hello, Ann")
            #expect(client.cookies["rw_session"] != nil, "the greeting is kept in the session cookie")

            let again = await client.get("/")
            #expect(again.text.contains(#"<p class="last-greeting">Hello, Ann</p>"#))
            #expect(again.headers["Cache-Control"] == "private")
        }
    }

    @Test func otherMethodsAreRefused() async throws {
        try await app.test { client in
            let response = await client.request(.delete, "/")
            #expect(response.status == 405)
            #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS")
        }
    }
}
