import Foundation
import RwSubprocess
import RwTestSupport
import Testing

/// The requestInfo playground in headless Chromium: under `rw dev` while its three
/// commented-out components are brought in one at a time (each a re-optimization), and built
/// for production with `rw build` and served by `rw preview`.
///
/// Both tests edit the playground's sources (and put them back), so they run one at a time.
@Suite(.serialized) struct RequestInfoPlaygroundTests {
    /// What the page shows about the request and the state behind `requestInfo`.
    struct PageData: Decodable, Equatable {
        let path: String
        let requestID: String
        let stateIdentity: String
        let storeGeneration: String

        var requestNumber: Int? { requestID.hasPrefix("req-") ? Int(requestID.dropFirst(4)) : nil }
    }

    /// The condition under which each kind of component is on the page and ready.
    static func isShown(_ kind: RequestInfoPlayground.Kind) -> String {
        switch kind {
        case .client: #"document.querySelector('[data-rw-client="Picker"][data-rw-hydrated="true"]')"#
        case .action: #"document.getElementById("magnitude-form")"#
        case .plain: #"document.getElementById("header-names")"#
        }
    }

    @Test(.timeLimit(.minutes(30)))
    func devServerReoptimizesForEachComponentAndKeepsTheState() async throws {
        let playground = try RequestInfoPlayground()
        defer { playground.restore() }
        let steps = StepTimes()
        let server = try await DevServerProcess.start(package: RequestInfoPlayground.directory)
        steps.mark("start rw dev (deps image, generation 1)")
        do {
            try await Browser.session { browser in try await checkDevServer(server, playground, steps, in: browser) }
        } catch {
            Issue.record(error)
        }
        await server.stop()
    }

    /// The dev test's steps in the browser.
    private func checkDevServer(
        _ server: DevServerProcess, _ playground: RequestInfoPlayground, _ steps: StepTimes, in browser: Browser
    ) async throws {
        try await browser.open(server.address + "/")
        try await browser.waitUntil("window.rwLiveReload?.session")
        let first = try await pageData(browser)
        #expect(first.path == "/")
        #expect(first.requestNumber != nil, "the middleware's request id: \(first.requestID)")
        #expect(first.stateIdentity.count == 36)
        #expect(first.storeGeneration == "1")
        for kind in RequestInfoPlayground.Kind.allCases {
            #expect(try await browser.run("return String(Boolean(\(Self.isShown(kind))));") == "false")
        }
        steps.mark("open the page")

        var previous = first
        for (index, kind) in RequestInfoPlayground.Kind.allCases.enumerated() {
            let hashBefore = try await server.depsHash()
            try await browser.run("window.rwBeforeEdit = true;")
            try playground.uncomment(kind)
            try #require(try await browser.waitUntil(Self.isShown(kind)))
            steps.mark("\(kind): save → page shows the component")

            #expect(
                try await browser.run("return String(window.rwBeforeEdit === true);") == "true",
                "the page was updated in place after the re-optimization")
            #expect(try await server.depsHash() != hashBefore, "bringing in the \(kind) component re-optimized the deps image")
            let data = try await pageData(browser)
            #expect(data.stateIdentity == first.stateIdentity, "the state behind the page was kept")
            #expect(data.storeGeneration == "1", "the requestInfo store is still generation 1's")
            #expect((data.requestNumber ?? 0) > (previous.requestNumber ?? .max), "request ids keep counting")
            previous = data
            // The picker, on the page since the first step, kept its clicks across every
            // in-place update since.
            try await checkComponents(RequestInfoPlayground.Kind.allCases[...index], pickerClicksBefore: index, in: browser)
            steps.mark("\(kind): checks in the browser")
        }
        try await browser.screenshot(to: RequestInfoPlayground.output.appendingPathComponent("dev-after-plain.png"))
        try steps.write(to: RequestInfoPlayground.output.appendingPathComponent("dev-steps.txt"))
    }

    @Test(.timeLimit(.minutes(60)))
    func productionBuildServesThePageAndAllComponents() async throws {
        let playground = try RequestInfoPlayground()
        defer { playground.restore() }
        let steps = StepTimes()
        for kind in RequestInfoPlayground.Kind.allCases { try playground.uncomment(kind) }
        let package = RequestInfoPlayground.directory.path
        let buildStatus = try await ReleaseBuilds.build(package)
        playground.restore()
        try #require(buildStatus == 0, "rw build failed")
        steps.mark("rw build (release)")

        let server = try ChildProcess(Paths.rw, ["preview", "--package-path", package, "--scratch-path", Paths.releaseScratch.path, "--port", "0"])
        let line = await server.waitForLine(containing: "listening on http://")
        guard let address = line.flatMap({ $0.split(separator: " ").last.map(String.init) }) else {
            Issue.record("rw preview did not start")
            _ = await server.stop(SIGKILL)
            return
        }
        do {
            try await Browser.session { browser in
                try await browser.open(address + "/")
                let data = try await pageData(browser)
                #expect(data.path == "/")
                #expect(data.requestNumber == 1, "the first request of the process gets req-1")
                #expect(data.stateIdentity.count == 36)
                #expect(data.storeGeneration == "0", "production never reloads code")
                #expect(try await browser.run("return String('rwLiveReload' in window);") == "false", "no dev code in production")
                for kind in RequestInfoPlayground.Kind.allCases {
                    try #require(try await browser.waitUntil(Self.isShown(kind), timeout: .seconds(30)))
                }
                try await checkComponents(RequestInfoPlayground.Kind.allCases[...], in: browser)
                steps.mark("checks in the browser")
                try await browser.screenshot(to: RequestInfoPlayground.output.appendingPathComponent("deploy.png"))
                try steps.write(to: RequestInfoPlayground.output.appendingPathComponent("deploy-steps.txt"))
            }
        } catch {
            Issue.record(error)
        }
        let exitStatus = await server.stop(SIGTERM)
        #expect(exitStatus == 0)
    }

    /// Reads what the page shows about `requestInfo`.
    private func pageData(_ browser: Browser) async throws -> PageData {
        let json = try #require(
            try await browser.run(
                """
                const text = (id) => document.getElementById(id)?.textContent ?? "";
                return JSON.stringify({ path: text("path"), requestID: text("request-id"),
                  stateIdentity: text("state-identity"), storeGeneration: text("store-generation") });
                """))
        return try JSONDecoder().decode(PageData.self, from: Data(json.utf8))
    }

    /// Uses each of `kinds` in the page the way a visitor would; the picker (a client component)
    /// was clicked `pickerClicksBefore` times on this page already.
    private func checkComponents(
        _ kinds: ArraySlice<RequestInfoPlayground.Kind>, pickerClicksBefore: Int = 0, in browser: Browser
    ) async throws {
        // The letters of "request" in groups of two, as the picker's props give them.
        let groups = ["re", "qu", "es", "t"]
        for kind in kinds {
            switch kind {
            case .client:
                let before = try await browser.text("#picked")
                try await browser.click("#picker")
                let clicks = pickerClicksBefore
                #expect(
                    before == (clicks == 0 ? "nothing picked" : "picked \(groups[(clicks - 1) % groups.count]) (\(clicks))"),
                    "the picker keeps its state")
                let after = "picked \(groups[clicks % groups.count]) (\(clicks + 1))"
                #expect(try await browser.waitUntil(#"document.getElementById("picked").textContent === "\#(after)""#, timeout: .seconds(10)))
            case .action:
                try await browser.run(#"document.getElementById("magnitude-result").textContent = "";"#)
                try await browser.click("#magnitude-form button")
                #expect(try await browser.waitUntil(#"document.getElementById("magnitude-result").textContent === '{"magnitude":5}'"#, timeout: .seconds(10)))
                #expect(try await browser.run("return location.pathname;") == "/", "the form was sent without leaving the page")
                let reply = try await browser.runAsync(
                    """
                    rw.callServerAction("magnitude", { re: "6", im: "8" }).then(async (response) =>
                      done(JSON.stringify({ status: response.status, header: response.headers.get("X-Magnitude"), body: await response.text() })));
                    """)
                #expect(reply == #"{"status":200,"header":"10.0","body":"{\"magnitude\":10}"}"#)
            case .plain:
                let names = try await browser.text("#header-names") ?? ""
                #expect(names.hasPrefix("header names: ") && names.contains("user-agent"), "\(names)")
            }
        }
    }
}
