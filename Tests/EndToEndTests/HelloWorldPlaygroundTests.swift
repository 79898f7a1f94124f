import Foundation
import RwSubprocess
import RwTestSupport
import Testing

/// The hello-world playground built for production with `rw build` and served by `rw preview`
/// (over HTTP and in headless Chromium), and under `rw dev` in Chromium while it is edited.
///
/// The dev test edits a copy of the playground (other suites, such as `NewCommandTests`, read the
/// playground's files while it runs), and the tests run one at a time.
@Suite(.serialized) struct HelloWorldPlaygroundTests {
    @Test(.timeLimit(.minutes(60)))
    func productionBuildServesThePageTheActionAndAssets() async throws {
        let package = Paths.root.appendingPathComponent("playground/hello-world").path
        let buildStatus = try await ReleaseBuilds.build(package)
        try #require(buildStatus == 0, "rw build failed")

        let server = try ChildProcess(Paths.rw, ["preview", "--package-path", package, "--scratch-path", Paths.releaseScratch.path, "--port", "0"])
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
        // The greeting is kept in a signed session cookie, which the home page shows.
        let sessionCookie = try #require(action.header("Set-Cookie"), "the action keeps the greeting in the session")
        #expect(sessionCookie.hasPrefix("rw_session=") && sessionCookie.contains("HttpOnly"))
        let cookiePair = String(sessionCookie.prefix { $0 != ";" })
        let greeted = try await http.send("GET", "/", headers: ["Cookie": cookiePair])
        #expect(greeted.text.contains(#"<p class="last-greeting">Hello, Deploy</p>"#))
        #expect(greeted.header("Cache-Control") == "private", "a page that reads the session is private")
        let forged = try await http.send("GET", "/", headers: ["Cookie": cookiePair.replacingOccurrences(of: ".", with: "A.")])
        #expect(forged.status == 200)
        #expect(forged.text.contains(#"<p class="last-greeting">No greeting yet.</p>"#), "a tampered cookie gives an empty session")
        let head = try await http.send("HEAD", "/")
        #expect(head.status == 200 && head.text.isEmpty)
        let wrongMethod = try await http.send("DELETE", "/")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET, HEAD, OPTIONS")

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
        #expect(runtime.text.contains("export async function replaceModule"), "the static executable carries the embedded client runtime")
        let styles = try await http.send("GET", "/styles.css")
        #expect(styles.status == 200)

        let traversal = try await http.send("GET", "/%2e%2e/Package.swift")
        #expect(traversal.status == 404)

        do {
            try await Browser.session { browser in
                try await browser.open(address + "/")
                #expect(try await browser.text("h1") == "Hello, World!")
                try await HelloWorldPage.check(in: browser)
            }
        } catch {
            Issue.record(error)
        }

        let exitStatus = await server.stop(SIGTERM)
        #expect(exitStatus == 0, "the server should shut down cleanly on SIGTERM")
    }

    /// The playground's package in the repository. Tests read it and never write to it.
    static let playground = Paths.root.appendingPathComponent("playground/hello-world")
    /// The copy the dev test edits, inside the repository's .build so SwiftPM's work on its
    /// dependencies survives reruns.
    static let copy = Paths.root.appendingPathComponent(".build/hello-world-dev")
    static let homePage = copy.appendingPathComponent("Sources/HelloWorld/HomePage.swift")

    /// Makes ``copy`` hold the playground's sources, tests, public files and manifest as they are now
    /// (the manifest's relative path to the SDK made absolute), keeping its `.build`.
    static func refreshCopy() throws {
        let files = FileManager.default
        try files.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in ["Sources", "Tests", "public"] {
            let target = copy.appendingPathComponent(name)
            if files.fileExists(atPath: target.path) { try files.removeItem(at: target) }
            try files.copyItem(at: playground.appendingPathComponent(name), to: target)
        }
        let manifest = try String(contentsOf: playground.appendingPathComponent("Package.swift"), encoding: .utf8)
        let relative = #"path: "../..""#
        try #require(manifest.contains(relative), "the playground's manifest names the SDK by \(relative)")
        let absolute = manifest.replacingOccurrences(of: relative, with: "path: \"\(Paths.root.path)\"")
        let copied = copy.appendingPathComponent("Package.swift")
        if (try? String(contentsOf: copied, encoding: .utf8)) != absolute {
            try absolute.write(to: copied, atomically: true, encoding: .utf8)
        }
    }

    static let document = copy.appendingPathComponent("Sources/HelloWorld/Document.swift")
    static let stylesheet = copy.appendingPathComponent("public/styles.css")
    static let counterModule = copy.appendingPathComponent("public/client/counter.js")
    static let app = copy.appendingPathComponent("Sources/HelloWorld/App.swift")
    static let posted = copy.appendingPathComponent("Sources/HelloWorld/Posted.swift")
    static let sockets = copy.appendingPathComponent("Sources/HelloWorld/EchoChannel.swift")

    /// A channel the dev test adds to the copy: each text sent to a `room:` topic is broadcast
    /// back to it with `prefix` before it; and a raw WebSocket route, `/echo`, that answers each
    /// text with `prefix` and `raw: ` before it.
    static func echoChannelSource(prefix: String) -> String {
        """
        import RwSDK

        @AppBuilder func EchoChannel() -> AppEntry {
            channel("room:*", receiving: String.self, message: { event, text in try broadcast(event.topic, "\(prefix)" + text) })
            webSocket("/echo") { socket in
                for await message in socket.messages {
                    if case .text(let text) = message { socket.send(.text("\(prefix)raw: " + text)) }
                }
            }
        }
        """
    }

    /// Routes the dev test adds to the copy: `/post-form` (a plain HTML form) posts to `/posted`,
    /// a page answering the POST that counts the posts in a state value; `/posts` says the count.
    static let postedSource = #"""
        import RwSDK
        import Synchronization

        /// How many times `/posted` was requested, across generations of the app.
        final class PostCount: Sendable {
            let value = Atomic<Int>(0)
        }

        func postCount() -> PostCount { defineRwState("postCount") { PostCount() } }

        func PostForm() -> some HTML {
            form(.attr("method", "post"), .attr("action", "/posted")) {
                button(.type("submit"), .class("post")) { "Post" }
            }
        }

        func PostedPage() -> some HTML {
            let number = postCount().value.add(1, ordering: .relaxed).newValue
            return main { h1 { "Post \(number)" } }
        }
        """#

    /// A WebSocket the page opens to the channel socket stays open across a save that changes
    /// the channel's message handler, and the next message is answered by the new handler; the
    /// state inspector lists the topic and its subscriber.
    static func checkSocketSurvivesASave(browser: Browser, server: DevServerProcess) async throws {
        try await browser.run(
            #"""
            window.rwSocketOpens = 0; window.rwReplies = [];
            const socket = new WebSocket(`ws://${location.host}/_rw/socket`);
            window.rwSocket = socket;
            socket.onopen = () => { window.rwSocketOpens += 1; socket.send(JSON.stringify({ type: "join", topic: "room:lobby", ref: 1 })); };
            socket.onmessage = (event) => {
              const frame = JSON.parse(event.data);
              if (frame.type === "joined") window.rwJoined = true;
              if (frame.type === "message") window.rwReplies.push(frame.data);
            };
            socket.onclose = (event) => { window.rwSocketClosed = event.code; };
            """#)
        try #require(try await browser.waitUntil("window.rwJoined === true", timeout: .seconds(30)), "the socket did not join room:lobby")
        try await browser.run(#"window.rwSocket.send(JSON.stringify({ type: "message", topic: "room:lobby", data: "one" }));"#)
        try #require(try await browser.waitUntil(#"window.rwReplies.includes("v1: one")"#, timeout: .seconds(30)), "no answer from the first handler")
        // A raw WebSocket route, relayed by the front as the channel socket is.
        try await browser.run(
            #"""
            window.rwRaw = []; window.rwRawOpens = 0;
            const raw = new WebSocket(`ws://${location.host}/echo`);
            window.rwRawSocket = raw;
            raw.onopen = () => { window.rwRawOpens += 1; raw.send("a"); };
            raw.onmessage = (event) => { window.rwRaw.push(event.data); };
            raw.onclose = (event) => { window.rwRawClosed = event.code; };
            """#)
        try #require(try await browser.waitUntil(#"window.rwRaw.includes("v1: raw: a")"#, timeout: .seconds(30)), "no answer from the raw route")
        let channels = try await server.state()["channels"] as? [[String: Any]]
        #expect(
            channels?.first?["topic"] as? String == "room:lobby" && (channels?.first?["sockets"] as? [Any])?.count == 1,
            "the state inspector lists the channel and its subscriber: \(String(describing: channels))")

        let before = try await server.state()["currentGeneration"] as? Int
        try echoChannelSource(prefix: "v2: ").write(to: sockets, atomically: false, encoding: .utf8)
        var reloaded = false
        for _ in 0..<600 where !reloaded {
            reloaded = try await server.state()["currentGeneration"] as? Int != before
            if !reloaded { try await Task.sleep(for: .milliseconds(200)) }
        }
        try #require(reloaded, "no new generation served within 120 s of the channel's edit")
        try await browser.run(#"window.rwSocket.send(JSON.stringify({ type: "message", topic: "room:lobby", data: "two" }));"#)
        let answered = try await browser.waitUntil(#"window.rwReplies.includes("v2: two")"#, timeout: .seconds(30))
        let replies = try await browser.run("return JSON.stringify(window.rwReplies);") ?? ""
        #expect(answered, "the next message was not answered by the new handler: \(replies)")
        #expect(
            try await browser.run("return `${window.rwSocketOpens}:${window.rwSocket.readyState}:${window.rwSocketClosed}`;") == "1:1:undefined",
            "the socket stayed open across the save (opened once, still open, never closed)")

        // The raw socket stayed open too; its handler, running for the socket's life, is still
        // the one that accepted it, and a socket opened after the save runs the new one.
        try await browser.run(
            #"""
            window.rwRawSocket.send("b");
            const fresh = new WebSocket(`ws://${location.host}/echo`);
            fresh.onopen = () => fresh.send("c");
            fresh.onmessage = (event) => { window.rwRaw.push(event.data); };
            """#)
        let rawAnswered = try await browser.waitUntil(#"window.rwRaw.includes("v1: raw: b") && window.rwRaw.includes("v2: raw: c")"#, timeout: .seconds(30))
        let raw = try await browser.run("return JSON.stringify(window.rwRaw);") ?? ""
        #expect(rawAnswered, "the open raw socket answered with its own handler, a new one with the new handler: \(raw)")
        #expect(
            try await browser.run("return `${window.rwRawOpens}:${window.rwRawSocket.readyState}:${window.rwRawClosed}`;") == "1:1:undefined",
            "the raw socket stayed open across the save")
    }

    /// A runner crash closes the sockets the front relays with 1012, on which `rw.channel`
    /// reconnects and rejoins once a new runner serves. The page is a plain-text one (no live
    /// reload, which would reload an HTML page after a crash), with `/_rw/channel.js` imported.
    static func checkChannelsRejoinAfterARunnerCrash(browser: Browser, server: DevServerProcess) async throws {
        _ = try await browser.newTab()
        try await browser.open(server.address + "/posts")
        let loaded = try await browser.runAsync(
            #"""
            import("/_rw/channel.js").then(({ channel, onSocketStatus }) => {
              window.rwStatuses = []; window.rwJoins = 0; window.rwCrashReplies = [];
              onSocketStatus((status) => window.rwStatuses.push(status));
              const room = channel("room:crash");
              window.rwRoom = room;
              room.on("message", (data) => window.rwCrashReplies.push(data));
              room.on("joined", () => { window.rwJoins += 1; });
              room.join();
              const raw = new WebSocket(`ws://${location.host}/_rw/socket`);
              raw.onopen = () => { window.rwRawOpen = true; };
              raw.onclose = (event) => { window.rwRawClosed = event.code; };
              done("ok");
            }, (error) => done(String(error)));
            """#)
        try #require(loaded == "ok", "channel.js did not load: \(loaded ?? "nil")")
        try #require(
            try await browser.waitUntil("window.rwJoins === 1 && window.rwRawOpen === true", timeout: .seconds(30)),
            "the channel did not join, or the raw socket did not open")
        try await browser.run(#"window.rwRoom.send("a");"#)
        try #require(try await browser.waitUntil(#"window.rwCrashReplies.includes("v2: a")"#, timeout: .seconds(30)), "no answer before the crash")

        let runner = try #require(server.runnerPID())
        #expect(kill(runner, SIGKILL) == 0)
        _ = try await server.waitForRunner(other: runner)
        let closedWith1012 = try await browser.waitUntil("window.rwRawClosed === 1012", timeout: .seconds(30))
        let code = try await browser.run("return String(window.rwRawClosed);") ?? ""
        #expect(closedWith1012, "the relayed socket was not closed with 1012 but \(code)")
        try #require(try await browser.waitUntil("window.rwJoins === 2", timeout: .seconds(90)), "the channel did not rejoin after the crash")
        try await browser.run(#"window.rwRoom.send("b");"#)
        #expect(
            try await browser.waitUntil(#"window.rwCrashReplies.includes("v2: b")"#, timeout: .seconds(30)),
            "the rejoined channel is not answered by the restarted runner")
        let statuses = try await browser.run("return window.rwStatuses.join(',');") ?? ""
        #expect(statuses.contains("reconnecting") && statuses.hasSuffix("open"), "the socket's status: \(statuses)")
    }

    /// Adds the post routes of ``postedSource`` to the copy, and makes the counter's module leave
    /// traces: the props it was hydrated with on its element, and each `dispose` in
    /// `window.rwDisposed` as `start:isConnected`.
    static func instrumentCopy() throws {
        try postedSource.write(to: posted, atomically: false, encoding: .utf8)
        try echoChannelSource(prefix: "v1: ").write(to: sockets, atomically: false, encoding: .utf8)
        let appSource = try String(contentsOf: app, encoding: .utf8)
        let routes = #"route("/") { HomePage() }"#
        try #require(appSource.contains(routes))
        try appSource.replacingOccurrences(
            of: routes,
            with: routes + "\n        get(\"/post-form\") { PostForm() }\n        post(\"/posted\") { PostedPage() }"
        )
        .replacingOccurrences(
            of: "    greet\n",
            with: "    greet\n    get(\"/posts\") { RwResponse(text: \"\\(postCount().value.load(ordering: .relaxed))\") }\n    EchoChannel()\n"
        )
        .write(to: app, atomically: false, encoding: .utf8)
        let counter = try String(contentsOf: counterModule, encoding: .utf8)
        let hydrate = "  hot.data.count ??= props.start;\n"
        let dispose = "export function dispose(element) {\n"
        try #require(counter.contains(hydrate) && counter.contains(dispose))
        try counter
            .replacingOccurrences(of: hydrate, with: hydrate + "  element.rwProps = props;\n")
            .replacingOccurrences(of: dispose, with: dispose + "  (window.rwDisposed ??= []).push(`${element.rwProps?.start}:${element.isConnected}`);\n")
            .write(to: counterModule, atomically: false, encoding: .utf8)
    }

    /// One `rw dev` session on the copy, with the browser's state checked after each kind of save:
    /// a page edit (morphed in place, a client component's props changed and one added), a
    /// stylesheet edit, a client module edit, a compile error and its fix (the props changed back,
    /// a component removed and disposed); then the visitor's round trip, and a save seen by two
    /// tabs on different URLs and by a tab showing the answer to a form post (a notice, no new
    /// request).
    @Test(.timeLimit(.minutes(20)))
    func editsUpdateTheOpenPageInPlace() async throws {
        try Self.refreshCopy()
        try Self.instrumentCopy()
        let original = try String(contentsOf: Self.homePage, encoding: .utf8)
        let counterOriginal = try String(contentsOf: Self.counterModule, encoding: .utf8)
        try #require(original.contains(#"h1 { "Hello, World!" }"#))
        try #require(counterOriginal.contains("`Clicked ${hot.data.count} times`"))
        // A page tall enough to scroll.
        try "body { min-height: 400vh; }\nh1 { color: rgb(10, 20, 30); }\n".write(to: Self.stylesheet, atomically: false, encoding: .utf8)
        let morphCases = try String(
            contentsOf: Paths.root.appendingPathComponent("Tests/EndToEndTests/Fixtures/browser/morph-cases.js"), encoding: .utf8)

        let server = try await DevServerProcess.start(package: Self.copy)
        do {
            try await Browser.session { browser in
                try await browser.open(server.address + "/")
                try await browser.waitUntil("window.rwLiveReload?.session")
                try #require(
                    try await browser.waitUntil(#"document.querySelector('[data-rw-client="Counter"][data-rw-hydrated="true"]')"#, timeout: .seconds(30)))
                #expect(try await browser.runAsync(morphCases) == "ok", "the morph's unit cases")
                try await Self.checkSocketSurvivesASave(browser: browser, server: server)

                // The state a developer has in the page: a marker, a count, typed text with the
                // caret in it, a scroll position, and the counter's element.
                try await browser.run("window.rwMarker = true; document.querySelector('[data-rw-client]').rwSame = true;")
                for _ in 1...3 { try await browser.click("button.counter") }
                #expect(try await browser.waitUntil(#"document.querySelector("button.counter").textContent === "Clicked 3 times""#, timeout: .seconds(10)))
                try await browser.run(
                    #"const input = document.querySelector('input[name="name"]'); input.focus(); input.value = "Ann Lee"; input.setSelectionRange(2, 5); window.scrollTo(0, 600);"#
                )

                // A page edit: the h1 changes, the counter's props change and a second counter
                // appears, in place.
                let edited = original.replacingOccurrences(of: #"h1 { "Hello, World!" }"#, with: #"h1 { "Hello, Morphed World!" }"#)
                    .replacingOccurrences(
                        of: "Counter(CounterProps(start: 0))", with: "Counter(CounterProps(start: 5))\n        Counter(CounterProps(start: 10))")
                try edited.write(to: Self.homePage, atomically: false, encoding: .utf8)
                try #require(try await browser.waitUntil(#"document.querySelector("h1")?.textContent === "Hello, Morphed World!""#, timeout: .seconds(120)))
                // The counter got its new props: disposed once, hydrated again with its `hot.data`.
                #expect(
                    try await browser.waitUntil(#"document.querySelector("[data-rw-client]").rwProps?.start === 5"#, timeout: .seconds(10)),
                    "the counter whose props changed was hydrated again with them")
                #expect(
                    try await browser.run("return JSON.stringify(window.rwDisposed ?? []);") == #"["0:true"]"#,
                    "the counter's old version was disposed before it was hydrated again")
                let kept = try await browser.run(
                    #"""
                    const input = document.querySelector('input[name="name"]');
                    return JSON.stringify({
                      marker: window.rwMarker === true,
                      same: document.querySelector('[data-rw-client]').rwSame === true,
                      count: document.querySelector("button.counter").textContent,
                      value: input.value,
                      focused: document.activeElement === input,
                      selection: [input.selectionStart, input.selectionEnd],
                      scroll: window.scrollY,
                    });
                    """#)
                #expect(
                    kept == #"{"marker":true,"same":true,"count":"Clicked 3 times","value":"Ann Lee","focused":true,"selection":[2,5],"scroll":600}"#,
                    "the page was updated in place and kept its state: \(kept ?? "nil")")
                #expect(
                    try await browser.waitUntil(
                        #"document.querySelectorAll('[data-rw-client][data-rw-hydrated="true"]').length === 2 && document.querySelectorAll("button.counter")[1].textContent === "Clicked 10 times""#,
                        timeout: .seconds(10)),
                    "the new counter was hydrated")
                let generations = try #require(try await server.state()["generations"] as? [[String: Any]]).count

                // A stylesheet edit: applied with no navigation and no build.
                try "body { min-height: 400vh; }\nh1 { color: rgb(1, 2, 3); }\n".write(to: Self.stylesheet, atomically: false, encoding: .utf8)
                #expect(try await browser.waitUntil(#"getComputedStyle(document.querySelector("h1")).color === "rgb(1, 2, 3)""#, timeout: .seconds(30)))
                #expect(
                    try await browser.run("return String(window.rwMarker === true && window.scrollY === 600);") == "true", "the stylesheet was swapped in place"
                )

                // A client module edit: the next click runs the new code and the count goes on.
                let moduleURL = try #require(try await browser.run(#"return document.querySelector("[data-rw-client]").dataset.rwModule;"#))
                try counterOriginal.replacingOccurrences(of: "`Clicked ${hot.data.count} times`", with: "`Pressed ${hot.data.count} times`")
                    .write(to: Self.counterModule, atomically: false, encoding: .utf8)
                #expect(try await browser.waitUntil(#"document.querySelector("button.counter").textContent === "Pressed 3 times""#, timeout: .seconds(30)))
                try await browser.click("button.counter")
                #expect(
                    try await browser.waitUntil(#"document.querySelector("button.counter").textContent === "Pressed 4 times""#, timeout: .seconds(10)),
                    "one click counts once: the old version's listener was disposed")
                #expect(try await browser.run("return String(window.rwMarker === true);") == "true", "the module was swapped in place")
                let afterAssets = try #require(try await server.state()["generations"] as? [[String: Any]]).count
                #expect(afterAssets == generations, "public files need no build")

                // A compile error shows the overlay over the unchanged page; the fix clears it and
                // updates the page in place (the second counter is gone again).
                try (edited + "\nlet broken: Int = \"not a number\"\n").write(to: Self.homePage, atomically: false, encoding: .utf8)
                try #require(try await browser.waitUntil(#"document.getElementById("rw-error-overlay")"#, timeout: .seconds(120)))
                #expect(try await browser.text("h1") == "Hello, Morphed World!")
                try await browser.run("window.rwDisposed = [];")
                try original.write(to: Self.homePage, atomically: false, encoding: .utf8)
                try #require(
                    try await browser.waitUntil(
                        #"document.querySelector("h1")?.textContent === "Hello, World!" && !document.getElementById("rw-error-overlay")"#,
                        timeout: .seconds(120)))
                #expect(try await browser.waitUntil(#"document.querySelectorAll("[data-rw-client]").length === 1"#, timeout: .seconds(10)))
                // The removed counter was disposed; the other got its props back (0).
                #expect(
                    try await browser.waitUntil(
                        #"window.rwDisposed.length === 2 && document.querySelector("[data-rw-client]").rwProps?.start === 0"#, timeout: .seconds(10)),
                    "the removed counter was disposed and the other hydrated with its props")
                #expect(try await browser.run("return JSON.stringify(window.rwDisposed.slice().sort());") == #"["10:false","5:true"]"#)
                // Hydrated again (its module's import may finish after the props are set): its
                // count kept, the swapped module in place.
                let counterKept = try await browser.waitUntil(
                    #"window.rwMarker === true && document.querySelector("button.counter")?.textContent === "Pressed 4 times""#, timeout: .seconds(10))
                let counterSeen =
                    try await browser.run(#"return String(window.rwMarker === true) + " " + document.querySelector("button.counter")?.textContent;"#) ?? ""
                #expect(counterKept, "the counter kept its count under the swapped module: \(counterSeen)")

                // A fresh page for the visitor's round trip, with the module as it was.
                try counterOriginal.write(to: Self.counterModule, atomically: false, encoding: .utf8)
                #expect(try await browser.waitUntil(#"document.querySelector("button.counter").textContent === "Clicked 4 times""#, timeout: .seconds(30)))
                // The server's pages name the restored module's URL again (asset fingerprints are
                // looked at again after at most a second).
                _ = try await server.waitFor("/") { $0.contains(moduleURL) }
                try await browser.open(server.address + "/")
                try await browser.waitUntil("window.rwLiveReload?.session")
                try await HelloWorldPage.check(in: browser)

                // The session (kept in a cookie signed with a key the state module holds)
                // survives the next save, and a second tab on another URL is updated too, with
                // its own URL.
                try await browser.run("window.rwMarker = true;")
                let first = try await browser.newTab()
                try await browser.open(server.address + "/?tab=2")
                try await browser.waitUntil("window.rwLiveReload?.session")
                try await browser.run("window.rwMarker = true;")
                // A third tab shows the answer to a form post, sent by the browser itself.
                let second = try await browser.newTab()
                try await browser.open(server.address + "/post-form")
                try await browser.run("window.rwBeforeSubmit = true;")
                try await browser.click("button.post")
                try #require(
                    try await browser.waitUntil(
                        #"window.rwBeforeSubmit === undefined && location.pathname === "/posted" && document.readyState === "complete""#, timeout: .seconds(30)),
                    "the form was posted and the browser shows the answer")
                try await browser.waitUntil("window.rwLiveReload?.session")
                #expect(try await browser.text("h1") == "Post 1")
                try await browser.run("window.rwMarker = true;")
                let posted = try await browser.currentTab()
                try edited.write(to: Self.homePage, atomically: false, encoding: .utf8)
                // The post's answer is not requested again: the tab shows a notice instead.
                try #require(
                    try await browser.waitUntil(#"document.getElementById("rw-dev-notice")?.textContent.includes("form post")"#, timeout: .seconds(120)),
                    "the post's answer shows the notice after the save")
                try await browser.switchTo(second)
                try #require(try await browser.waitUntil(#"document.querySelector("h1")?.textContent === "Hello, Morphed World!""#, timeout: .seconds(120)))
                #expect(try await browser.run("return String(window.rwMarker === true) + ' ' + location.search;") == "true ?tab=2")
                try await browser.switchTo(first)
                try #require(try await browser.waitUntil(#"document.querySelector("h1")?.textContent === "Hello, Morphed World!""#, timeout: .seconds(30)))
                #expect(try await browser.run("return String(window.rwMarker === true) + ' ' + location.search;") == "true ")
                #expect(try await browser.text(".last-greeting") == "Hello, Browser")
                // By now the other tabs were updated; the post's tab is as it was, and the server
                // saw one post.
                try await browser.switchTo(posted)
                #expect(
                    try await browser.run(#"return String(window.rwMarker === true) + " " + document.querySelector("h1").textContent;"#) == "true Post 1",
                    "the post's answer was neither reloaded nor morphed")
                #expect(try await server.http.send("GET", "/posts").text == "1", "the server saw no new post")
                try await Self.checkChannelsRejoinAfterARunnerCrash(browser: browser, server: server)
            }
        } catch {
            Issue.record(error)
        }
        await server.stop()
    }
}

/// Uses the hello-world page in a browser the way a visitor would.
enum HelloWorldPage {
    /// Clicks the counter (a client component) and sends the greet form (a server action), which
    /// brings the browser back to the page.
    static func check(in browser: Browser) async throws {
        try #require(try await browser.waitUntil(#"document.querySelector('[data-rw-client="Counter"][data-rw-hydrated="true"]')"#, timeout: .seconds(30)))
        try await browser.click("button.counter")
        try await browser.click("button.counter")
        #expect(try await browser.waitUntil(#"document.querySelector("button.counter").textContent === "Clicked 2 times""#, timeout: .seconds(10)))

        try await browser.run(#"document.querySelector('input[name="name"]').value = "Browser"; window.rwBeforeSubmit = true;"#)
        try await browser.click(#"form button[type="submit"]"#)
        #expect(
            try await browser.waitUntil("window.rwBeforeSubmit === undefined && document.readyState === 'complete'", timeout: .seconds(30)),
            "the form was sent and the browser came back to the page")
        #expect(try await browser.run("return location.pathname;") == "/")
        #expect(try await browser.text("button.counter") == "Clicked 0 times", "a fresh page after the action")
        #expect(try await browser.text(".last-greeting") == "Hello, Browser", "the session keeps the last greeting")
    }
}
