import Testing

/// A client that pipelines requests and does not read the responses: the server stops handling
/// them once its responses back up (memory stays bounded), serves other clients meanwhile, and
/// every response then arrives, in order.
@Suite(.timeLimit(.minutes(10))) struct PipeliningTests {
    /// What a pipeline of unread requests did to the server.
    struct Outcome {
        /// The most requests of the pipeline the app had begun while the client read nothing.
        var handledUnread: Int
        /// How far the server's peak resident memory grew (bytes).
        var peakGrowth: Int
    }

    /// Pipelines `count` requests for `size`-byte responses on one connection (1 MiB in ctx
    /// each), and reads nothing until the number of requests the app has begun stays the same
    /// over five looks 100 ms apart (at most 10 s); meanwhile another client must be served.
    /// Then reads every response and checks it is whole and in order.
    static func pipeline(_ server: FaultServer, count: Int, size: Int) async throws -> Outcome {
        try await server.expectServing()
        let before = try #require(server.residentMemory())
        let handledBefore = try await handled(server)
        let connection = try RawConnection(port: server.port)
        var pipeline: [UInt8] = []
        for index in 0..<count {
            pipeline += Array("GET /bytes/\(size)/\(index) HTTP/1.1\r\nHost: x\r\nX-Ctx-MiB: 1\r\n\r\n".utf8)
        }
        // Sent whole before a single response is read.
        #expect(await connection.send(pipeline))
        var seen = try await handled(server)
        var unchanged = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while unchanged < 5, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))  // the pace of the looks: stalled progress has no event
            let now = try await handled(server)
            unchanged = now == seen ? unchanged + 1 : 0
            seen = now
        }
        try await server.expectServing()
        for index in 0..<count {
            let response = try #require(await connection.readResponse().response, "response \(index) never came")
            let expected = Array("\(index)\n".utf8)
            let whole =
                response.status == 200 && response.body.count == max(size, expected.count)
                && response.body.starts(with: expected)
            #expect(whole, "response \(index) was \(response.status) with \(response.body.count) bytes: \(response.text.prefix(20))")
            if !whole { break }
        }
        let peak = try #require(server.peakResidentMemory())
        return Outcome(handledUnread: seen - handledBefore, peakGrowth: peak - before)
    }

    /// How many `/bytes` requests the server's app has begun, asked on a connection of its own.
    static func handled(_ server: FaultServer) async throws -> Int {
        try #require(Int(try await server.request("GET", "/bytes-handled").text))
    }

    /// 256 pipelined requests for 1 MiB each (256 MiB of responses, far more than the socket
    /// buffers hold): the app handles only the first few until the client reads, and memory
    /// grows by less than 64 MiB.
    @Test func unreadPipelinedRequestsAreBoundedAndAllAnswered() async throws {
        try await FaultServer.with { server in
            let outcome = try await Self.pipeline(server, count: 256, size: 1 << 20)
            #expect(outcome.handledUnread < 64, "the app handled \(outcome.handledUnread) of 256 requests nobody read")
            #expect(outcome.peakGrowth < 64 << 20, "peak resident memory grew by \(outcome.peakGrowth >> 20) MiB")
        }
    }

    /// The same check, with responses small enough to fit the socket buffers: nothing backs up,
    /// so the app handles every request unread, and the bound of the test above is exceeded. A
    /// server that never stopped reading would look the same with 1 MiB responses.
    @Test func theBoundCatchesAServerThatKeepsHandling() async throws {
        try await FaultServer.with { server in
            let outcome = try await Self.pipeline(server, count: 256, size: 16)
            #expect(outcome.handledUnread >= 64, "only \(outcome.handledUnread) of 256 small requests were handled unread")
        }
    }
}
