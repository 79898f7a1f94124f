import Testing

/// Bytes that are not UTF-8 in every part of a request: the server never crashes; raw bytes in
/// the request line get 400, percent-encoded ones a 404 or are passed on as written, and invalid
/// bytes in header values and bodies reach the app repaired (U+FFFD) or are refused with a 4xx.
@Suite(.timeLimit(.minutes(10))) struct InvalidUTF8Tests {
    static let json = [("Accept", "application/json")]

    @Test func rawInvalidBytesInTheRequestLineGet400() async throws {
        try await FaultServer.with { server in
            for target: [UInt8] in [Array("/echo/".utf8) + [0xFF, 0xFE], Array("/query?a=".utf8) + [0xC3, 0x28], [0x2F, 0x80]] {
                let response = try await server.request("GET", target)
                #expect(response.status == 400, "GET \(target) answered \(response.status)")
            }
            try await server.expectServing()
        }
    }

    @Test func percentEncodedInvalidBytesInThePathAndQuery() async throws {
        try await FaultServer.with { server in
            // Undecodable route parameter: no route matches.
            #expect(try await server.request("GET", "/echo/%FF%FE").status == 404)
            #expect(try await server.request("GET", "/echo/%C3%28").status == 404)
            // Valid UTF-8 still decodes.
            #expect(try await server.request("GET", "/echo/%C3%A9").text == "é")
            // The query reaches the app as written.
            let query = try await server.request("GET", "/query?a=%FF%FE&b=%")
            #expect(query.status == 200 && query.text == "a=%FF%FE&b=%")
            // An action id that is not UTF-8: refused as invalid.
            let action = try await server.request("POST", "/_rw/action/%FF", headers: Self.json)
            #expect(action.status == 400 && action.text.contains("not a valid server action id"))
            // A public file name that is not UTF-8: no file, the 404 stays.
            #expect(try await server.request("GET", "/%FF.txt").status == 404)
            try await server.expectServing()
        }
    }

    @Test func invalidBytesInHeaderValuesAreRepaired() async throws {
        try await FaultServer.with { server in
            let request = Array("GET /trace HTTP/1.1\r\nHost: x\r\nX-Trace: a".utf8) + [0xFF, 0xFE] + Array("b\r\nConnection: close\r\n\r\n".utf8)
            let response = try #require(try await server.exchange(request).response)
            #expect(response.status == 200)
            #expect(response.text == "a\u{FFFD}\u{FFFD}b")
            // An Origin that is not UTF-8 is not the page's origin: the action is refused.
            let crossOrigin =
                Array("POST /_rw/action/echo HTTP/1.1\r\nHost: x\r\nOrigin: http://".utf8) + [0xFF]
                + Array("\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
            #expect(try #require(try await server.exchange(crossOrigin).response).status == 403)
            try await server.expectServing()
        }
    }

    @Test func invalidBytesInFormAndJSONBodiesAreHandled() async throws {
        try await FaultServer.with { server in
            let form = [("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")]
            let raw = try await server.request("POST", Array("/_rw/action/echo".utf8), headers: form, body: Array("name=".utf8) + [0xFF, 0x41])
            #expect(raw.status == 200 && raw.text.contains(#""name":"\#u{FFFD}A""#), "raw bytes: \(raw.text)")
            let encoded = try await server.request("POST", "/_rw/action/echo", headers: form, body: "name=%FF%41&%FE=1")
            #expect(encoded.status == 200 && encoded.text.contains(#""name":"%FF%41""#), "percent-encoded: \(encoded.text)")
            let jsonHeaders = [("Accept", "application/json"), ("Content-Type", "application/json")]
            let json = try await server.request(
                "POST", Array("/_rw/action/echo".utf8), headers: jsonHeaders, body: Array(#"{"name":""#.utf8) + [0xFF] + Array(#""}"#.utf8))
            #expect(json.status == 200 && json.text.contains(#""name":"""#), "JSON: \(json.text)")
            try await server.expectServing()
        }
    }
}
