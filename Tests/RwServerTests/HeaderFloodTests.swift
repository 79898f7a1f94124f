import Testing

/// Request heads far over the server's limits (1000 fields, 80 KiB): rejected with 400 or a
/// closed connection, quickly, while the server keeps serving and its memory stays bounded.
@Suite struct HeaderFloodTests {
    static func head(fields: Int, valueSize: Int) -> [UInt8] {
        var bytes = Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: valueSize)
        for index in 0..<fields { bytes += Array("X-Flood-\(index): ".utf8) + value + [13, 10] }
        return bytes + [13, 10]
    }

    static let floods: [(String, [UInt8])] = [
        ("10 000 header fields", head(fields: 10_000, valueSize: 1)),
        ("one 1 MiB header field", head(fields: 1, valueSize: 1 << 20)),
        ("a 1 MiB header name", Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "N"), count: 1 << 20) + Array(": v\r\n\r\n".utf8)),
        ("a 1 MiB request target", Array("GET /".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20) + Array(" HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
    ]

    @Test(arguments: floods.indices)
    func floodIsRejectedAndTheServerGoesOn(index: Int) async throws {
        let (name, bytes) = Self.floods[index]
        try await FaultServer.with { server in
            let outcome = try await server.exchange(bytes, timeout: .seconds(10))
            switch outcome {
            case .response(let response): #expect(response.status == 400, "\(name): answered \(response.status)")
            case .closed: break
            case .timedOut: Issue.record("\(name): neither answered nor closed within 10 s")
            }
            try await server.expectServing()
        }
    }

    /// Twenty clients flooding at once (200 MiB of headers offered in all): the server answers
    /// each with a rejection, its resident memory grows by less than 64 MiB, and it goes on.
    @Test func concurrentFloodsKeepMemoryBounded() async throws {
        try await FaultServer.with { server in
            try await server.expectServing()
            let before = try #require(server.residentMemory())
            let flood = Self.head(fields: 1, valueSize: 10 << 20)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        // Keeps sending after the rejection, until the server closes.
                        let connection = try RawConnection(port: server.port)
                        async let sent = connection.send(flood)
                        let outcome = await connection.readResponse(timeout: .seconds(20))
                        if let response = outcome.response { #expect(response.status == 400) }
                        #expect(!outcome.isTimedOut, "a flooding connection was neither answered nor closed")
                        _ = await sent
                    }
                }
                try await group.waitForAll()
            }
            let peak = try #require(server.peakResidentMemory())
            #expect(peak - before < 64 << 20, "resident memory grew from \(before >> 20) MiB to a peak of \(peak >> 20) MiB")
            try await server.expectServing()
        }
    }
}
