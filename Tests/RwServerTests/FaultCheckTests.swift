import Testing

/// The refusal check of the fault tests (a 400 with `Connection: close`, then the close and
/// nothing more) run against deliberately broken servers: each misbehaviour the check exists to
/// catch must fail it, as the route fuzzing is kept honest by ``ReferenceRouteMatcher``.
@Suite(.timeLimit(.minutes(10))) struct FaultCheckTests {
    static let garbage = Array("GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n".utf8)

    static let misbehaviours: [(String, MisbehavingServer.Behaviour)] = [
        ("drops the connection without an answer", .dropsWithoutAnswer),
        ("hangs", .hangs),
        ("answers 400 with Connection: close but keeps the connection open", .answersAndStaysOpen(status: 400, saysClose: true)),
        ("answers 400 without Connection: close", .answersAndStaysOpen(status: 400, saysClose: false)),
        ("answers 200", .answersAndStaysOpen(status: 200, saysClose: true)),
        ("serves the request after the refused one", .servesAfterRefusing)
    ]

    @Test(arguments: misbehaviours.indices)
    func theRefusalCheckFailsAgainstABrokenServer(index: Int) async throws {
        let (name, behaviour) = Self.misbehaviours[index]
        let problems = try await MisbehavingServer.with(behaviour) { server in
            try await refusalProblems(port: server.port, sending: Self.garbage, timeout: .seconds(2))
        }
        #expect(!problems.isEmpty, "a server that \(name) passed the refusal check")
    }

    /// Garbage followed by a request on the same connection: a server that refuses the garbage
    /// and then serves the request anyway fails, and so does one that hangs.
    @Test func theSmugglingCheckFailsAgainstABrokenServer() async throws {
        for behaviour: MisbehavingServer.Behaviour in [.servesAfterRefusing, .hangs] {
            let problems = try await MisbehavingServer.with(behaviour) { server in
                try await refusalProblems(port: server.port, sending: Array(MalformedHTTPTests.smuggling.utf8), timeout: .seconds(2))
            }
            #expect(!problems.isEmpty, "a server that \(behaviour) passed the smuggling check")
        }
    }
}
