import Testing

/// Server-action calls that should not run the action: unknown and malformed ids, the wrong
/// method, and calls from another origin (CSRF). Each gets a 4xx saying why; the action's effect
/// (its response header) never appears. Also: what an action echoes cannot split the response,
/// and the redirect after a plain form post stays on the site.
@Suite(.timeLimit(.minutes(10))) struct ActionSafetyTests {
    static let json = [("Accept", "application/json"), ("Content-Type", "application/json")]

    @Test func unknownAndMalformedIDsGetAClear4xx() async throws {
        try await FaultServer.with { server in
            let cases: [(target: String, status: Int, message: String)] = [
                ("/_rw/action/nope", 404, #"No server action has the id \"nope\"."#),
                ("/_rw/action/", 400, "is not a valid server action id"),
                ("/_rw/action/a/b", 400, "is not a valid server action id"),
                ("/_rw/action/echo/", 400, "is not a valid server action id"),
                ("/_rw/action/%65cho", 400, "is not a valid server action id"),
                ("/_rw/action/" + String(repeating: "x", count: 129), 400, "is not a valid server action id"),
                ("/_rw/action/<script>", 400, "is not a valid server action id"),
                ("/_rw/action/..", 404, "No server action has the id")
            ]
            for (target, status, message) in cases {
                let response = try await server.request("POST", target, headers: Self.json, body: #"{"name":"x"}"#)
                #expect(response.status == status, "POST \(target) answered \(response.status)")
                #expect(response.text.contains(message), "POST \(target): \(response.text)")
                #expect(response.header("X-Echo") == nil, "POST \(target) ran the action")
            }
            // In HTML the id is escaped, never markup.
            let page = try await server.request("POST", "/_rw/action/<script>")
            #expect(page.status == 400 && page.text.contains("&lt;script&gt;") && !page.text.contains("<script>"))
            let get = try await server.request("GET", "/_rw/action/echo", headers: Self.json)
            #expect(get.status == 405 && get.text.contains("called with POST"))
            #expect(get.header("X-Echo") == nil)
            try await server.expectServing()
        }
    }

    @Test func callsFromAnotherOriginGet403() async throws {
        try await FaultServer.with { server in
            let sameOrigin = "http://127.0.0.1:\(server.port)"
            let allowed = try await server.request("POST", "/_rw/action/echo", headers: Self.json + [("Origin", sameOrigin)], body: #"{"name":"me"}"#)
            #expect(allowed.status == 200 && allowed.header("X-Echo") == "me")
            for origin in [
                "http://evil.example", "http://127.0.0.1:1", "https://127.0.0.1.evil.example:\(server.port)", "null", "",
                "http://127.0.0.1:\(server.port)@evil.example", "file://", "not a url"
            ] {
                let response = try await server.request("POST", "/_rw/action/echo", headers: Self.json + [("Origin", origin)], body: #"{"name":"x"}"#)
                #expect(response.status == 403, "Origin \(origin) answered \(response.status)")
                #expect(response.text.contains("Cross-origin call"), "Origin \(origin): \(response.text)")
                #expect(response.header("X-Echo") == nil, "Origin \(origin) ran the action")
            }
            // A plain form post from another site's page: refused the same way.
            let form = try await server.request(
                "POST", "/_rw/action/echo",
                headers: [("Origin", "http://evil.example"), ("Content-Type", "application/x-www-form-urlencoded")], body: "name=x")
            #expect(form.status == 403 && form.header("X-Echo") == nil)
        }
    }

    @Test func echoedInputCannotSplitTheResponse() async throws {
        try await FaultServer.with { server in
            let form = [("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")]
            let response = try await server.request("POST", "/_rw/action/echo", headers: form, body: "name=a%0D%0ASet-Cookie:%20stolen%3D1%0D%0A%0D%0Ab")
            #expect(response.status == 200)
            #expect(response.header("Set-Cookie") == nil, "an injected header line became a header")
            let echoed = response.headers.filter { $0.name.lowercased() == "x-echo" }
            #expect(echoed.count == 1)
            // Each CR and LF became a space: the injected line is text inside the one value.
            #expect(echoed.first?.value == "a  Set-Cookie: stolen=1    b", "\(echoed)")
            try await server.expectServing()
        }
    }

    /// A form posted from a page whose URL starts with `//host` (or hides it as `%2F%2Fhost`)
    /// is sent back to a path on this site, never to that host; the page's query is kept.
    @Test func redirectBackAfterAFormStaysOnTheSite() async throws {
        try await FaultServer.with { server in
            let site = "http://127.0.0.1:\(server.port)"
            let cases = [
                ("\(site)/page?x=1&q=a%20b", "/page?x=1&q=a%20b"),
                ("\(site)//evil.example/x", "/evil.example/x"),
                ("\(site)//evil.example/x?y=//other.example", "/evil.example/x?y=//other.example"),
                ("\(site)/%2F%2Fevil.example", "/%2F%2Fevil.example"),
                ("\(site)/%5C%5Cevil.example", "/%5C%5Cevil.example"),
                ("\(site)/\\evil.example", "/%5Cevil.example"),
                ("", "/")
            ]
            for (referer, location) in cases {
                let response = try await server.request(
                    "POST", "/_rw/action/echo",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")] + (referer.isEmpty ? [] : [("Referer", referer)]),
                    body: "name=x")
                #expect(response.status == 303)
                #expect(response.header("Location") == location, "Referer \(referer) → Location \(response.header("Location") ?? "none")")
            }
        }
    }
}
