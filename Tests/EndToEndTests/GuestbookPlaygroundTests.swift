import Foundation
import PostgresTestSupport
import Synchronization
import Testing

/// The guestbook playground under `rw dev`, on SQLite (its default) and on a throwaway
/// PostgreSQL cluster (`DATABASE_URL`): sign-in, posts by form and by fetch, pages, the live
/// count, by HTTP and in headless Chromium; and on PostgreSQL, its pool kept across saves and
/// re-optimizations under load. ``GuestbookProductionTests`` checks the same in production.
///
/// Every test edits one copy of the playground, inside the repository's .build so SwiftPM's work
/// on its dependencies survives reruns; the tests run one at a time. `RW_LONG_TESTS=1`: 50 saves
/// in the soak, not 10.
@Suite(.serialized) struct GuestbookPlaygroundTests {
    /// The playground's package in the repository. Tests read it and never write to it.
    static let playground = Paths.root.appendingPathComponent("playground/guestbook")
    /// The copy the tests run and edit.
    static let copy = Paths.root.appendingPathComponent(".build/guestbook-dev")
    static let sources = copy.appendingPathComponent("Sources/Guestbook")

    /// Makes ``copy`` the playground as it is now, plus what the tests need: the manifest names the
    /// SDK by absolute path and declares two modules the app does not import (HTTPTypes and
    /// NIOHTTP1, from packages the SDK already depends on, so they add no package to fetch),
    /// for re-optimizations; the pool keeps `poolSize` connections open; routes that hold a
    /// transaction open until released; `Reoptimized.swift`, which the re-optimizations rewrite.
    /// Its `.build` is kept and its SQLite database removed.
    static func refreshCopy(poolSize: Int = 4) throws {
        let files = FileManager.default
        try files.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in ["Sources", "public"] {
            let target = copy.appendingPathComponent(name)
            if files.fileExists(atPath: target.path) { try files.removeItem(at: target) }
            try files.copyItem(at: playground.appendingPathComponent(name), to: target)
        }
        for name in try files.contentsOfDirectory(atPath: copy.path) where name.hasPrefix("db.sqlite") {
            try files.removeItem(at: copy.appendingPathComponent(name))
        }
        var manifest = try String(contentsOf: playground.appendingPathComponent("Package.swift"), encoding: .utf8)
        let sdk = #".package(name: "RwSDK", path: "../..")"#
        let products = """
                            .product(name: "RwData", package: "RwSDK"),
                        ]
                    ),
                    .executableTarget(
            """
        try #require(manifest.contains(sdk) && manifest.contains(products), "the playground's manifest is as the tests expect")
        manifest = manifest.replacingOccurrences(
            of: sdk,
            with: """
                .package(name: "RwSDK", path: "\(Paths.root.path)"),
                        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
                        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2")
                """)
        manifest = manifest.replacingOccurrences(
            of: products,
            with: """
                                .product(name: "RwData", package: "RwSDK"),
                                .product(name: "HTTPTypes", package: "swift-http-types"),
                                .product(name: "NIOHTTP1", package: "swift-nio"),
                            ]
                        ),
                        .executableTarget(
                """)
        let manifestFile = copy.appendingPathComponent("Package.swift")
        if (try? String(contentsOf: manifestFile, encoding: .utf8)) != manifest {
            try manifest.write(to: manifestFile, atomically: true, encoding: .utf8)
        }
        try edit("Database.swift") { text in
            #expect(text.contains("public let db = defineDatabase(migrations: [") && text.hasSuffix("\n])\n"))
            return text.dropLast(3) + "], minimumConnections: \(poolSize), maximumConnections: \(poolSize))\n"
        }
        try edit("App.swift") { text in
            #expect(text.contains("    postMessage\n}"))
            return text.replacingOccurrences(of: "    postMessage\n}", with: "    postMessage\n    testRoutes\n}")
        }
        try testRoutes.write(to: sources.appendingPathComponent("TestRoutes.swift"), atomically: true, encoding: .utf8)
        try saveReoptimized(imports: [])
    }

    /// Routes only the tests use: `/test/hold/:key` inserts a message with that key in a
    /// transaction and keeps the transaction open until `/test/release`; `/test/reoptimized`
    /// answers what `Reoptimized.swift` computes with the modules it imports.
    static let testRoutes = """
        import RwData
        import RwSDK

        @AppBuilder
        var testRoutes: AppEntry {
            route("/test/hold/:key") { info in
                let key = info.params["key"] ?? ""
                let id = try await db.transaction { tx in
                    let row = try await tx.first("INSERT INTO messages (author, body, client_key) VALUES (\\("held"), \\("held across a save"), \\(key)) RETURNING id")
                    let (release, continuation) = AsyncStream.makeStream(of: Void.self)
                    setRwState("test.hold", continuation)
                    for await _ in release { break }
                    return try row?.decode("id", as: Int64.self) ?? 0
                }
                return RwResponse(text: "committed \\(id)")
            }
            route("/test/release") { () -> RwResponse in
                getRwState("test.hold", as: AsyncStream<Void>.Continuation.self)?.yield(())
                return RwResponse(text: "released")
            }
            route("/test/reoptimized") { RwResponse(text: reoptimized()) }
        }

        """

    /// Saves `Reoptimized.swift` importing `imports` ("HTTPTypes", then also "NIOHTTP1").
    static func saveReoptimized(imports: [String]) throws {
        var body = "\"none\""
        if imports.contains("HTTPTypes") { body = "\"\\(HTTPResponse.Status.accepted.code)\"" }
        if imports.contains("NIOHTTP1") { body = "\"\\(HTTPResponse.Status.accepted.code) \\(HTTPResponseStatus.notFound.code)\"" }
        let text = imports.map { "import \($0)\n" }.joined() + "\nfunc reoptimized() -> String { \(body) }\n"
        try text.write(to: sources.appendingPathComponent("Reoptimized.swift"), atomically: false, encoding: .utf8)
    }

    /// Saves a source file of the copy, transformed by `change`, the way an editor saves it.
    static func edit(_ file: String, _ change: (String) throws -> String) throws {
        let url = sources.appendingPathComponent(file)
        try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: false, encoding: .utf8)
    }

    /// Saves the home page with the heading `Guestbook <marker>`.
    static func saveHeading(_ marker: String) throws {
        let original = try String(contentsOf: playground.appendingPathComponent("Sources/Guestbook/Pages.swift"), encoding: .utf8)
        try #require(original.contains(#"h1 { "Guestbook" }"#))
        try original.replacingOccurrences(of: #"h1 { "Guestbook" }"#, with: #"h1 { "Guestbook \#(marker)" }"#)
            .write(to: sources.appendingPathComponent("Pages.swift"), atomically: false, encoding: .utf8)
    }

    // MARK: Tests

    @Test(.timeLimit(.minutes(45)))
    func devOnSQLiteSignsInPostsByFormAndByFetchAndPages() async throws {
        try Self.refreshCopy()
        // Started in the app's folder, as a developer does: the database file goes there.
        let dev = try await DevServerProcess.start(package: Self.copy, directory: Self.copy)
        try await Self.checkTheApp(dev.http)
        #expect(
            FileManager.default.fileExists(atPath: Self.copy.appendingPathComponent("db.sqlite").path),
            "SQLite is the default: db.sqlite in the app's folder")
        do {
            try await Self.checkInTheBrowser(dev.address)
            try await Browser.session { watcher in try await Self.checkRejoinAfterARunnerCrash(watcher, dev) }
        } catch {
            Issue.record(error)
        }
        await dev.stop()
    }

    /// A runner crash: the open tab's socket closes (1012), and once the restarted runner
    /// serves, `rw dev` reloads the page (the app's state kept with `defineRwState` was lost),
    /// which joins the guestbook's channel again by itself; a post then reaches it live.
    static func checkRejoinAfterARunnerCrash(_ browser: Browser, _ dev: DevServerProcess) async throws {
        _ = try await openWatcher(browser, dev)
        let runner = try #require(dev.runnerPID())
        kill(runner, SIGKILL)
        _ = try await dev.waitForRunner(other: runner)
        let rejoined = try await browser.waitUntil("window.rwStayed === undefined && " + joined, timeout: .seconds(60))
        let shown = try await browser.run(#"return `${window.rwStayed}:${document.querySelector("[data-rw-client=LiveCount]")?.dataset.live}`;"#) ?? ""
        try #require(rejoined, "the page reloaded after the crash and joined the channel again: \(shown)")
        #expect(try await guestbookSockets(dev).count == 1, "the restarted runner lists the rejoined socket")
        let json = ["Content-Type": "application/json", "Accept": "application/json"]
        let signIn = try await dev.http.send("POST", "/_rw/action/signIn", headers: json, body: #"{"name":"After"}"#)
        let cookie = String(try #require(signIn.header("Set-Cookie")).prefix { $0 != ";" })
        let post = try await dev.http.send(
            "POST", "/_rw/action/post", headers: json.merging(["Cookie": cookie]) { $1 }, body: #"{"body":"After the crash"}"#)
        #expect(post.status == 200, "\(post.text)")
        #expect(
            try await browser.waitUntil(#"document.querySelector(".messages li .body")?.textContent === "After the crash""#, timeout: .seconds(10)),
            "a post after the rejoin reaches the tab")
    }

    /// What a visitor does: signs in with a form, posts with a form and with fetch, pages
    /// through the list, reads the count; then signs out.
    static func checkTheApp(_ http: HTTP) async throws {
        let home = try await http.send("GET", "/")
        #expect(home.status == 200)
        #expect(home.text.contains("<h1>Guestbook</h1>"))
        #expect(home.text.contains(#"id="sign-in""#), "a visitor without a session is asked for a name")
        #expect(home.text.contains(#"data-rw-client="LiveCount""#))
        #expect(home.text.contains("0 messages"))

        // Sign in by a plain form: the action answers 303 back to the page, with the session cookie.
        var form = http
        form.followsRedirects = false
        let formHeaders = ["Content-Type": "application/x-www-form-urlencoded", "Referer": http.base + "/"]
        let signIn = try await form.send("POST", "/_rw/action/signIn", headers: formHeaders, body: "name=Ann+Lee")
        #expect(signIn.status == 303)
        #expect(signIn.header("Location") == "/")
        let setCookie = try #require(signIn.header("Set-Cookie"), "signing in sets the session cookie")
        #expect(setCookie.hasPrefix("rw_session=") && setCookie.contains("HttpOnly"))
        let cookie = ["Cookie": String(setCookie.prefix { $0 != ";" })]
        let signedIn = try await http.send("GET", "/", headers: cookie)
        #expect(signedIn.text.contains("Signed in as Ann Lee"))
        #expect(signedIn.text.contains(#"id="post""#) && signedIn.text.contains(#"data-rw-output="post-result""#))

        // Post by a plain form, then by fetch (what the client runtime sends for data-rw-output).
        let byForm = try await form.send("POST", "/_rw/action/post", headers: formHeaders.merging(cookie) { $1 }, body: "body=Hello+%26+welcome")
        #expect(byForm.status == 303)
        let fetchHeaders = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"].merging(cookie) { $1 }
        let byFetch = try await http.send("POST", "/_rw/action/post", headers: fetchHeaders, body: "body=Second&key=k-2")
        #expect(byFetch.status == 200)
        let posted = try JSONSerialization.jsonObject(with: Data(byFetch.text.utf8)) as? [String: Any]
        #expect(posted?["count"] as? Int == 2, "the action answers the new count: \(byFetch.text)")
        let again = try await http.send("POST", "/_rw/action/post", headers: fetchHeaders, body: "body=Second&key=k-2")
        #expect(again.status == 409, "the same key again is the unique constraint's typed error: \(again.text)")
        let anonymous = try await http.send("POST", "/_rw/action/post", headers: ["Accept": "application/json"], body: #"{"body":"x"}"#)
        #expect(anonymous.status == 401)
        let listed = try await http.send("GET", "/", headers: cookie)
        #expect(listed.text.contains(#"<span class="body">Hello &amp; welcome</span>"#))
        #expect(listed.text.contains("2 messages"))

        // Pages of ten, newest first.
        for index in 3...12 {
            let reply = try await http.send(
                "POST", "/_rw/action/post", headers: ["Content-Type": "application/json", "Accept": "application/json"].merging(cookie) { $1 },
                body: #"{"body":"message \#(index)"}"#)
            #expect(reply.status == 200)
        }
        let first = try await http.send("GET", "/?page=1")
        #expect(first.text.components(separatedBy: "<li data-id=").count - 1 == 10)
        #expect(first.text.contains("message 12") && !first.text.contains("Hello &amp; welcome"))
        #expect(first.text.contains(#"href="/?page=2""#) && !first.text.contains("Newer"))
        let second = try await http.send("GET", "/?page=2")
        #expect(second.text.components(separatedBy: "<li data-id=").count - 1 == 2)
        #expect(second.text.contains("Hello &amp; welcome") && second.text.contains(#"href="/?page=1""#))
        #expect(!second.text.contains("Older"))
        #expect(try await http.send("GET", "/?page=abc").status == 200, "a page that is not a number is the first page")
        #expect(try await http.send("GET", "/count.json").text == #"{"count":12}"#)
        let module = try await http.send("GET", "/client/live-count.js")
        #expect(module.status == 200 && module.text.contains("export function hydrate"))

        let signOut = try await form.send("POST", "/_rw/action/signOut", headers: formHeaders.merging(cookie) { $1 }, body: "")
        #expect(signOut.status == 303)
        #expect(try await http.send("GET", "/", headers: cookie).text.contains(#"id="sign-in""#), "the session is gone")
    }

    /// Whether the page's LiveCount component joined the guestbook's channel (a JavaScript condition).
    static let joined = #"document.querySelector("[data-rw-client=LiveCount]")?.dataset.live === "joined""#

    /// In headless Chromium, after ``checkTheApp(_:)`` left 12 messages: signs in with the
    /// form, posts with the form the client runtime sends by fetch, and follows the link to the
    /// older page. A second tab, open on the first page meanwhile, shows the post and the new
    /// count as they happen (the guestbook's channel), and who is typing in the first tab.
    static func checkInTheBrowser(_ address: String) async throws {
        try await Browser.session { browser in
            try await browser.open(address + "/")
            #expect(try await browser.waitUntil(#"document.querySelector("[data-rw-client=LiveCount]")?.dataset.rwHydrated === "true""#))
            #expect(try await browser.text(".live-count") == "12 messages")
            _ = try await browser.run(##"document.querySelector("#sign-in input[name=name]").value = "Zoë"; return "";"##)
            try await browser.click("#sign-in button")
            #expect(try await browser.waitUntil(#"document.querySelector(".signed-in")?.textContent === "Signed in as Zoë""#))
            try #require(try await browser.waitUntil(Self.joined, timeout: .seconds(30)), "the first tab did not join the guestbook's channel")

            // The second tab: the first page, joined, with a marker that a navigation would lose.
            let first = try await browser.newTab()
            try await browser.open(address + "/")
            try #require(try await browser.waitUntil(Self.joined, timeout: .seconds(30)), "the second tab did not join the guestbook's channel")
            try await browser.run("window.rwStayed = true;")
            let watcher = try await browser.currentTab()
            try await browser.switchTo(first)

            _ = try await browser.run(##"document.querySelector("#post input[name=body]").dispatchEvent(new Event("input")); return "";"##)
            try await browser.switchTo(watcher)
            let typing = try await browser.waitUntil(#"document.querySelector(".typing")?.textContent === "Zoë is typing…""#, timeout: .seconds(10))
            let typingText = try await browser.text(".typing") ?? "none"
            #expect(typing, "the other tab shows who is typing: \(typingText)")
            try await browser.switchTo(first)
            _ = try await browser.run(##"document.querySelector("#post input[name=body]").value = "From the browser"; return "";"##)
            try await browser.click("#post button")
            let answered = try await browser.waitUntil(#"document.getElementById("post-result").textContent.includes('"count":13')"#)
            let result = try await browser.text("#post-result") ?? "none"
            #expect(answered, "post-result: \(result)")
            #expect(
                try await browser.waitUntil(#"document.querySelector(".live-count").textContent === "13 messages""#, timeout: .seconds(10)),
                "the posting tab's count follows the channel")

            try await browser.switchTo(watcher)
            let live = try await browser.waitUntil(
                #"document.querySelector(".messages li .body")?.textContent === "From the browser" && document.querySelector(".live-count").textContent === "13 messages""#,
                timeout: .seconds(10))
            let shown =
                try await browser.run(
                    #"return `${document.querySelector(".live-count").textContent} | ${document.querySelector(".messages li")?.textContent}`;"#) ?? ""
            #expect(live, "the other tab shows the post and the count live: \(shown)")
            #expect(
                try await browser.run("return String(window.rwStayed === true && document.querySelectorAll('.messages li').length === 10);") == "true",
                "the post was added in place to a list of ten, without a reload")
            try await browser.switchTo(first)
            try await browser.open(address + "/")
            #expect(try await browser.text(".messages li .body") == "From the browser")
            try await browser.click("a.older")
            #expect(try await browser.waitUntil(#"location.search === "?page=2" && document.querySelectorAll(".messages li").length === 3"#))
        }
    }

    @Test(.timeLimit(.minutes(60)))
    func devOnPostgreSQLKeepsItsPoolAcrossSavesAndReoptimizationsUnderLoad() async throws {
        let poolSize = 4
        try Self.refreshCopy(poolSize: poolSize)
        let cluster = try await PostgresCluster.start()
        defer { Task { await cluster.stop() } }
        let dev = try await DevServerProcess.start(package: Self.copy, environment: ["DATABASE_URL": cluster.url])
        try await Self.checkTheApp(dev.http)
        try await Self.checkInTheBrowser(dev.address)
        // The app's connections (this psql excluded).
        let countSQL = "SELECT count(*) FROM pg_stat_activity WHERE datname = 'rw' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        let pidsSQL =
            "SELECT string_agg(pid::text, ',' ORDER BY pid) FROM pg_stat_activity WHERE datname = 'rw' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        let pool = try await cluster.psql(pidsSQL)
        #expect(try await cluster.psql(countSQL) == "\(poolSize)", "the pool keeps its \(poolSize) connections open")

        try await Browser.session { watcher in
            // A signed-in tab on the first page, joined to the guestbook's channel, stays open across
            // every save and re-optimization below.
            let socket = try await Self.openWatcher(watcher, dev)
            let load = LoadTally()
            let posted = PostedKeys()
            let clients = Self.postAndRead(dev.http, load, posted: posted, clients: 4)
            // A transaction started before the first save, held open across it.
            let held = Task { try await dev.http.send("GET", "/test/hold/held-1") }
            try await dev.waitForStateKey("test.hold")
            #expect(
                try await cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'rw' AND state = 'idle in transaction'") == "1",
                "the held transaction is open on the server when the save comes")

            var counts: [String] = []
            let saves = LongVariant.requested ? 50 : 10
            let deps = try await dev.depsHash()
            var hashes = [deps]
            for save in 1...saves {
                try Self.saveHeading("save \(save)")
                try await dev.waitFor("/", attempts: 6000) { $0.contains("<h1>Guestbook save \(save)</h1>") }
                counts.append(try await cluster.psql(countSQL))
                if save == 1 {
                    #expect(try await dev.http.send("GET", "/test/release").text == "released")
                    let committed = try await held.value
                    #expect(committed.status == 200 && committed.text.hasPrefix("committed "), "the held transaction commits: \(committed.text)")
                    #expect(try await cluster.psql("SELECT count(*) FROM messages WHERE client_key = 'held-1'") == "1")
                }
                // Two re-optimizations, at a third and at two thirds of the saves.
                if save == saves / 3 || save == 2 * saves / 3 {
                    let imports = save == saves / 3 ? ["HTTPTypes"] : ["HTTPTypes", "NIOHTTP1"]
                    try Self.saveReoptimized(imports: imports)
                    let expected = imports.count == 1 ? "202" : "202 404"
                    try await dev.waitFor("/test/reoptimized", attempts: 12000) { $0 == expected }
                    hashes.append(try await dev.depsHash())
                    counts.append(try await cluster.psql(countSQL))
                }
            }
            load.stop.store(true, ordering: .relaxed)
            await clients.value
            try await Self.checkWatcher(watcher, dev, socket: socket, http: dev.http)
            let outcomes = load.outcomes.withLock { $0 }
            let after = try await cluster.psql(pidsSQL)
            print("guestbook soak: \(saves) saves, 2 re-optimizations, requests \(outcomes), connections after each save \(counts), pool \(pool) → \(after)")
            #expect(outcomes.keys.sorted() == ["ok"], "no request failed: \(outcomes)")
            #expect((outcomes["ok"] ?? 0) > saves, "the load kept running: \(outcomes)")
            #expect(Set(counts) == ["\(poolSize)"], "the app's connection count stayed \(poolSize): \(counts)")
            #expect(after == pool, "the same connections served the whole session")
            #expect(Set(hashes).count == 3, "each re-optimization made a new deps image: \(hashes)")
            // Every post that got a 200 is in the database, once.
            let keys = posted.keys.withLock { $0 }
            let stored = try await cluster.psql("SELECT count(DISTINCT client_key) FROM messages WHERE client_key LIKE 'load-%'")
            #expect(stored == "\(keys.count)", "\(keys.count) posts answered 200")
        }
        await dev.stop()
        await cluster.stop()
    }

    /// Opens the guestbook's first page in `browser`, signed in as "Watcher", waits until it joined
    /// the channel, and starts recording its socket's status changes; returns the id of its socket
    /// as the state inspector lists it.
    static func openWatcher(_ browser: Browser, _ dev: DevServerProcess) async throws -> UInt64 {
        try await browser.open(dev.address + "/")
        let signedIn = try await browser.runAsync(
            #"rw.callServerAction("signIn", { name: "Watcher" }).then(() => done("ok"), (error) => done(String(error)));"#)
        try #require(signedIn == "ok", "signing in from the page: \(signedIn ?? "nil")")
        try await browser.open(dev.address + "/")
        try #require(try await browser.waitUntil(joined, timeout: .seconds(30)), "the watching tab did not join the guestbook's channel")
        try await browser.run("window.rwStatuses = []; rw.onSocketStatus((status) => window.rwStatuses.push(status)); window.rwStayed = true;")
        let sockets = try await guestbookSockets(dev)
        try #require(sockets.count == 1, "the state inspector lists the watching tab's socket alone: \(sockets)")
        return sockets[0]
    }

    /// After saves and re-optimizations: the watching tab never navigated, its socket never closed
    /// (the same id, the status never left "open"), and a post shows in it; then a save changing
    /// the channel's message handler, after which the tab's next message is answered by the new one.
    static func checkWatcher(_ browser: Browser, _ dev: DevServerProcess, socket: UInt64, http: HTTP) async throws {
        #expect(try await guestbookSockets(dev) == [socket], "the same socket stayed subscribed across the saves")
        #expect(
            try await browser.run("return `${window.rwStayed}:${window.rwStatuses.join(',')}`;") == "true:open",
            "the page stayed and its socket never left the open status")
        let json = ["Content-Type": "application/json", "Accept": "application/json"]
        let signIn = try await http.send("POST", "/_rw/action/signIn", headers: json, body: #"{"name":"Poster"}"#)
        let cookie = String(try #require(signIn.header("Set-Cookie")).prefix { $0 != ";" })
        let post = try await http.send("POST", "/_rw/action/post", headers: json.merging(["Cookie": cookie]) { $1 }, body: #"{"body":"After the saves"}"#)
        #expect(post.status == 200, "\(post.text)")
        #expect(
            try await browser.waitUntil(#"document.querySelector(".messages li .body")?.textContent === "After the saves""#, timeout: .seconds(10)),
            "a post after the saves reaches the open tab")

        let generation = try await dev.state()["currentGeneration"] as? Int
        try edit("Live.swift") { text in
            try #require(text.contains("LiveUpdate(typing: name)"))
            return text.replacingOccurrences(of: "LiveUpdate(typing: name)", with: #"LiveUpdate(typing: "\(name) (edited)")"#)
        }
        var reloaded = false
        for _ in 0..<600 where !reloaded {
            reloaded = try await dev.state()["currentGeneration"] as? Int != generation
            if !reloaded { try await Task.sleep(for: .milliseconds(200)) }  // polling the inspector for the new generation
        }
        try #require(reloaded, "no new generation served within 120 s of the channel's edit")
        try await browser.run(##"document.querySelector("#post input[name=body]").dispatchEvent(new Event("input"));"##)
        let typing = try await browser.waitUntil(#"document.querySelector(".typing")?.textContent === "Watcher (edited) is typing…""#, timeout: .seconds(10))
        let shown = try await browser.text(".typing") ?? "none"
        #expect(typing, "the next message is answered by the edited handler: \(shown)")
        #expect(try await guestbookSockets(dev) == [socket], "the same socket is subscribed after the handler's edit")
    }

    /// The ids of the sockets subscribed to the guestbook's topic, from the state inspector.
    static func guestbookSockets(_ dev: DevServerProcess) async throws -> [UInt64] {
        let channels = try await dev.state()["channels"] as? [[String: Any]] ?? []
        let sockets = channels.first { $0["topic"] as? String == "guestbook" }?["sockets"] as? [Any] ?? []
        return sockets.compactMap { ($0 as? NSNumber)?.uint64Value }
    }

    /// Signed-in clients that post (by fetch, each post with a key of its own) and read the
    /// first page in turn until `tally.stop`; the keys of posts answered 200 go to `posted`.
    static func postAndRead(_ http: HTTP, _ tally: LoadTally, posted: PostedKeys, clients: Int) -> Task<Void, Never> {
        Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        func count(_ outcome: String) { tally.outcomes.withLock { $0[outcome, default: 0] += 1 } }
                        let json = ["Content-Type": "application/json", "Accept": "application/json"]
                        guard let signIn = try? await http.send("POST", "/_rw/action/signIn", headers: json, body: #"{"name":"load \#(client)"}"#),
                            let setCookie = signIn.header("Set-Cookie")
                        else { return count("sign-in failed") }
                        let headers = json.merging(["Cookie": String(setCookie.prefix { $0 != ";" })]) { $1 }
                        var index = 0
                        while !tally.stop.load(ordering: .relaxed) {
                            index += 1
                            let key = "load-\(client)-\(index)"
                            do {
                                let post = try await http.send(
                                    "POST", "/_rw/action/post", headers: headers, body: #"{"body":"post \#(index)","key":"\#(key)"}"#)
                                if post.status == 200 { posted.keys.withLock { $0.append(key) } }
                                count(post.status == 200 ? "ok" : "post \(post.status): \(post.text.prefix(120))")
                                let page = try await http.send("GET", "/", headers: ["Cookie": headers["Cookie"]!])
                                count(
                                    page.status == 200 && page.text.contains("Signed in as load \(client)")
                                        ? "ok" : "page \(page.status): \(page.text.prefix(120))")
                            } catch {
                                count("error \(error)")
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The keys of the posts the server answered 200.
final class PostedKeys: Sendable {
    let keys = Mutex<[String]>([])
}
