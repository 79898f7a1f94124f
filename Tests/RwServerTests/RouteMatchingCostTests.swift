import Testing

/// Paths of tens of thousands of segments against a route with a wildcard in the middle
/// (`/files/*/edit`): answered at once. Matching once tried every split of the path and joined
/// each, which took 35 s of CPU for one 60 KB path; a handful of such requests held every core.
@Suite struct RouteMatchingCostTests {
    @Test func longPathsAgainstAMidPatternWildcardAreAnsweredQuickly() async throws {
        try await FaultServer.with { server in
            let segments = String(repeating: "a/", count: 30_000)
            let start = ContinuousClock.now
            let miss = try await server.request("GET", "/files/" + segments + "x")
            #expect(miss.status == 404)
            let hit = try await server.request("GET", "/files/" + segments + "edit")
            #expect(hit.status == 200 && hit.text == String(segments.dropLast()))
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .seconds(3), "two long-path requests took \(elapsed)")
            try await server.expectServing()
        }
    }
}
