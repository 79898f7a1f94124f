import Testing

/// Streamed pages on the wire, read with raw sockets: the part before an `Await` arrives while
/// the awaited part still waits (on a latch the test opens with a request of its own), in chunks
/// of the chunked coding, and a failure after the first byte ends the response visibly and
/// without its last chunk.
@Suite(.timeLimit(.minutes(10))) struct StreamingTests {
    @Test func theFirstPartArrivesBeforeTheAwaitedPartEnds() async throws {
        try await FaultServer.with { server in
            let connection = try RawConnection(port: server.port)
            #expect(await connection.send("GET /stream/first HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(await connection.read(until: "before the wait"), "the part before the Await did not arrive while it waited")
            let early = String(decoding: connection.unread, as: UTF8.self)
            #expect(early.lowercased().contains("transfer-encoding: chunked"))
            #expect(!early.contains("after the wait"))
            let opened = try await server.request("GET", "/open/first")
            #expect(opened.text == "opened")
            let response = try #require(await connection.readResponse().response)
            #expect(response.status == 200)
            #expect(response.text.contains("<h1>before the wait</h1><p>after the wait</p></body></html>"))
            #expect(response.chunkSizes.count > 1, "one chunk: the page was not streamed")
            #expect(response.header("Content-Length") == nil)
        }
    }

    @Test func aFailureAfterTheFirstByteEndsTheResponseVisiblyAndIncomplete() async throws {
        try await FaultServer.with { server in
            let connection = try RawConnection(port: server.port)
            #expect(await connection.send("GET /stream/failing?fail HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(await connection.read(until: "before the wait"))
            _ = try await server.request("GET", "/open/failing")
            switch await connection.readResponse() {
            case .closed(let received):
                let text = String(decoding: received, as: UTF8.self)
                #expect(text.contains("data-rw-stream-error"), "no visible notice: \(text)")
                #expect(text.contains("The rest of this page could not be rendered."))
                #expect(!text.contains("the awaited part failed"), "production shows no error details")
                #expect(!text.hasSuffix("0\r\n\r\n"), "the response must not look complete")
            case .response(let response):
                Issue.record("a failed stream ended like a complete response: \(response.text)")
            case .timedOut:
                Issue.record("the connection stayed open after the stream failed")
            }
        }
    }

    @Test func headOfAStreamedPageHasNoBody() async throws {
        try await FaultServer.with { server in
            let connection = try RawConnection(port: server.port)
            #expect(
                await connection.send(
                    "HEAD /stream/head HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            let head = try #require(await connection.readResponse(toHead: true).response)
            #expect(head.status == 200)
            let next = try #require(await connection.readResponse().response, "no second response: HEAD sent a body?")
            #expect(next.text == "next")
        }
    }
}
