import Testing

/// Request heads far over the server's limits (1000 fields, 80 KiB): refused with a 400 and
/// `Connection: close`, then the close, while the server keeps serving and its memory stays bounded.
@Suite(.timeLimit(.minutes(10))) struct HeaderFloodTests {
    static func head(fields: Int, valueSize: Int) -> [UInt8] {
        var bytes = Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: valueSize)
        for index in 0..<fields { bytes += Array("X-Flood-\(index): ".utf8) + value + [13, 10] }
        return bytes + [13, 10]
    }

    static let floods: [(String, [UInt8])] = [
        ("10 000 header fields", head(fields: 10_000, valueSize: 1)),
        ("one 1 MiB header field", head(fields: 1, valueSize: 1 << 20)),
        (
            "a 1 MiB header name",
            Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "N"), count: 1 << 20) + Array(": v\r\n\r\n".utf8)
        ),
        ("a 1 MiB request target", Array("GET /".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20) + Array(" HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
    ]

    @Test(arguments: floods.indices)
    func floodIsRejectedAndTheServerGoesOn(index: Int) async throws {
        let (name, bytes) = Self.floods[index]
        try await FaultServer.with { server in
            try await server.expectRefusal(bytes, fault: name)
            try await server.expectServing()
        }
    }

    /// Twenty clients flooding at once (200 MiB of headers offered in all): the server refuses
    /// each (400, then the close), its resident memory grows by less than 64 MiB, and it goes on.
    @Test func concurrentFloodsKeepMemoryBounded() async throws {
        try await FaultServer.with { server in
            try await server.expectServing()
            let before = try #require(server.residentMemory())
            let flood = Self.head(fields: 1, valueSize: 10 << 20)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        // Sends while reading; the close after the 400 ends the sending.
                        let problems = try await refusalProblems(port: server.port, sending: flood, timeout: .seconds(20))
                        #expect(problems.isEmpty, "a 10 MiB header: \(problems.joined(separator: "; "))")
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
