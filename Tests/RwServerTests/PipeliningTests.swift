import Testing

/// A client that pipelines thousands of requests and does not read the responses: the server
/// stops reading once its responses back up (memory stays bounded), serves other clients
/// meanwhile, and every response then arrives, in order.
@Suite struct PipeliningTests {
    @Test func unreadPipelinedRequestsAreBoundedAndAllAnswered() async throws {
        try await FaultServer.with { server in
            try await server.expectServing()
            let before = try #require(server.residentMemory())
            let count = 5000
            let connection = try RawConnection(port: server.port)
            var pipeline: [UInt8] = []
            for index in 0..<count {
                pipeline += Array("GET /echo/\(index) HTTP/1.1\r\nHost: x\r\nX-Ctx-MiB: 1\r\n\r\n".utf8)
            }
            // Sent whole before a single response is read.
            #expect(await connection.send(pipeline))
            try await server.expectServing()
            for index in 0..<count {
                let response = try #require(await connection.readResponse().response, "response \(index) never came")
                #expect(response.status == 200 && response.text == "\(index)", "response \(index) was \(response.status) \(response.text)")
                if response.text != "\(index)" { break }
            }
            let peak = try #require(server.peakResidentMemory())
            #expect(peak - before < 64 << 20, "resident memory grew from \(before >> 20) MiB to a peak of \(peak >> 20) MiB")
        }
    }
}
