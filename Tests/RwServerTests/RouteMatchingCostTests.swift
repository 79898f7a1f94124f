import Testing

/// Paths of tens of thousands of segments against a route with a wildcard in the middle
/// (`/files/*/edit`): answered at once. Matching once tried every split of the path and joined
/// each, which took 35 s of CPU for one 60 KB path; a handful of such requests held every core.
/// The time limit is a hang guard far above a linear match, not a performance target.
@Suite(.timeLimit(.minutes(10))) struct RouteMatchingCostTests {
    @Test(.timeLimit(.minutes(1)))
    func longPathsAgainstAMidPatternWildcardAreAnsweredQuickly() async throws {
        try await FaultServer.with { server in
            let segments = String(repeating: "a/", count: 30_000)
            let miss = try await server.request("GET", "/files/" + segments + "x")
            #expect(miss.status == 404)
            let hit = try await server.request("GET", "/files/" + segments + "edit")
            #expect(hit.status == 200 && hit.text == String(segments.dropLast()))
            try await server.expectServing()
        }
    }
}
