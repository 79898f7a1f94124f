import Testing

/// HTTP semantics checked on the wire with raw sockets: what the bytes say, not what a lenient
/// client makes of them. Each check pipelines a second request behind the one under test, so a
/// body where none may be (HEAD, 304) would show up as garbage in front of the second response.
@Suite(.timeLimit(.minutes(10))) struct HTTPSemanticsTests {
    @Test func headHasTheGetHeadersAndNoBody() async throws {
        try await FaultServer.with { server in
            let connection = try RawConnection(port: server.port)
            #expect(
                await connection.send(
                    "HEAD /echo/first HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            let head = try #require(await connection.readResponse(toHead: true).response)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5", "HEAD announces the GET body's length")
            let next = try #require(await connection.readResponse().response, "no second response: HEAD sent a body?")
            #expect(next.status == 200 && next.text == "second")
            #expect(await connection.waitForClose(timeout: .seconds(10)))
        }
    }

    @Test func anotherMethodGets405WithAllowAndOptionsListsThem() async throws {
        try await FaultServer.with { server in
            let delete = try await server.request("DELETE", "/")
            #expect(delete.status == 405)
            #expect(delete.header("Allow") == "GET, HEAD, OPTIONS")
            let post = try await server.request("POST", "/items")
            #expect(post.status == 201)
            let get = try await server.request("GET", "/items")
            #expect(get.status == 405)
            #expect(get.header("Allow") == "OPTIONS, POST")
            let options = try await server.request("OPTIONS", "/items")
            #expect(options.status == 204)
            #expect(options.header("Allow") == "OPTIONS, POST")
            #expect(options.body.isEmpty)
        }
    }

    @Test func notModifiedHasNoBody() async throws {
        try await FaultServer.with { server in
            let first = try await server.request("GET", "/hello.txt")
            let etag = try #require(first.header("ETag"))
            let connection = try RawConnection(port: server.port)
            #expect(
                await connection.send(
                    "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \(etag)\r\n\r\nGET /echo/after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            let notModified = try #require(await connection.readResponse().response)
            #expect(notModified.status == 304)
            let next = try #require(await connection.readResponse().response, "no second response: 304 sent a body?")
            #expect(next.status == 200 && next.text == "after")
        }
    }

    @Test func severalSetCookieFieldsArriveAndCookiesAreRead() async throws {
        try await FaultServer.with { server in
            let response = try await server.request("GET", "/cookies", headers: [("Cookie", "a=x%20y; b=2")])
            #expect(response.status == 200)
            #expect(response.text == "a=x y,b=2")
            let cookies = response.headerValues("Set-Cookie").sorted()
            #expect(cookies == ["first=1; Path=/; HttpOnly; SameSite=Lax", "second=2; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"])
        }
    }

    @Test func publicFilesSayHowToCacheThem() async throws {
        try await FaultServer.with { server in
            let plain = try await server.request("GET", "/hello.txt")
            #expect(plain.header("Cache-Control") == "no-cache")
            let url = try await server.request("GET", "/asset").text
            #expect(url.hasPrefix("/client/app.js?v=") && url.count == "/client/app.js?v=".count + 16)
            let fingerprinted = try await server.request("GET", url)
            #expect(fingerprinted.status == 200 && fingerprinted.text == "export const x = 1;\n")
            #expect(fingerprinted.header("Cache-Control") == "public, max-age=31536000, immutable")
            let stale = try await server.request("GET", "/client/app.js?v=0000000000000000")
            #expect(stale.header("Cache-Control") == "no-cache", "a fingerprint that does not match is not cached forever")
            let etag = try #require(plain.header("ETag"))
            let notModified = try await server.request("GET", "/hello.txt", headers: [("If-None-Match", etag)])
            #expect(notModified.status == 304)
            #expect(notModified.header("Cache-Control") == "no-cache")
        }
    }
}
