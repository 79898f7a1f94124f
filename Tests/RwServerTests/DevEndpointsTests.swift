import Testing

/// The development server's own endpoints (state inspector, live-reload events and script)
/// do not exist in production: 404, nothing of the app's state, no event stream.
@Suite(.timeLimit(.minutes(10))) struct DevEndpointsTests {
    @Test func devOnlyEndpointsAre404InProduction() async throws {
        try await FaultServer.with { server in
            for path in ["/_rw/state", "/_rw/state.json", "/_rw/state/", "/_rw/events", "/_rw/live.js", "/_rw/state?format=json"] {
                for method in ["GET", "POST"] {
                    let response = try await server.request(method, path, headers: [("Accept", "text/event-stream, application/json")])
                    #expect(response.status == 404, "\(method) \(path) answered \(response.status)")
                    #expect(response.header("Content-Type")?.contains("event-stream") != true, "\(method) \(path) opened an event stream")
                    #expect(!response.text.contains("requestInfoStore"), "\(method) \(path) showed state")
                }
            }
            // The client runtime is production's and stays.
            #expect(try await server.request("GET", "/_rw/client.js").status == 200)
        }
    }
}
