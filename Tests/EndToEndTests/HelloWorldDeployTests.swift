import Foundation
import Testing

/// Builds the hello-world playground for production with `rw build`, serves it with
/// `rw preview` on a free port, and talks to it over real HTTP.
@Suite struct HelloWorldDeployTests {
    @Test(.timeLimit(.minutes(45)))
    func productionBuildServesThePageTheActionAndAssets() async throws {
        let package = Paths.root.appendingPathComponent("playground/hello-world").path
        let buildStatus = try await ChildProcess.run(Paths.rw, ["build", "--package-path", package])
        try #require(buildStatus == 0, "rw build failed")

        let server = try ChildProcess(Paths.rw, ["preview", "--package-path", package, "--port", "0"])
        let line = await server.waitForLine(containing: "listening on http://")
        let address = try #require(line.flatMap { $0.split(separator: " ").last.map(String.init) })
        let http = HTTP(base: address)

        let page = try await http.send("GET", "/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.hasPrefix("<!DOCTYPE html>"))
        #expect(page.text.contains("<h1>Hello, World!</h1>"))
        #expect(page.text.contains("rendered on the server for /."))
        #expect(page.text.contains(#"data-rw-client="Counter""#))

        let action = try await http.send(
            "POST", "/_rw/action/greet",
            headers: ["Content-Type": "application/json", "Accept": "application/json"],
            body: #"{"name":"Deploy"}"#
        )
        #expect(action.status == 200)
        #expect(action.header("X-Greeting") == "Hello, Deploy")
        #expect(action.text == #"{"message":"Hello, Deploy!"}"#)

        let sameOrigin = try await http.send(
            "POST", "/_rw/action/greet",
            headers: ["Content-Type": "application/json", "Accept": "application/json", "Origin": address],
            body: #"{"name":"Browser"}"#
        )
        #expect(sameOrigin.status == 200, "a call from the app's own page is not cross-origin: \(sameOrigin.text)")
        let crossOrigin = try await http.send(
            "POST", "/_rw/action/greet",
            headers: ["Content-Type": "application/json", "Accept": "application/json", "Origin": "http://attacker.example"],
            body: #"{"name":"Mallory"}"#
        )
        #expect(crossOrigin.status == 403)
        #expect(crossOrigin.header("X-Greeting") == nil)

        let unknown = try await http.send("POST", "/_rw/action/nope", headers: ["Accept": "application/json"], body: "{}")
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("nope"))

        let module = try await http.send("GET", "/client/counter.js")
        #expect(module.status == 200)
        #expect(module.text.contains("export function hydrate"))
        let runtime = try await http.send("GET", "/_rw/client.js")
        #expect(runtime.status == 200)

        let traversal = try await http.send("GET", "/%2e%2e/Package.swift")
        #expect(traversal.status == 404)

        let exitStatus = await server.stop(SIGTERM)
        #expect(exitStatus == 0, "the server should shut down cleanly on SIGTERM")
    }
}
