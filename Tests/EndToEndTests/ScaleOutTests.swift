import Foundation
import PostgresTestSupport
import RwSubprocess
import RwTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The guestbook playground in production as it would scale out: two instances behind nginx
/// (round robin) sharing one PostgreSQL database, under a steady load of signed-in users posting.
/// One instance is SIGKILLed in the middle of the load, then started again. Two browser tabs, each
/// through an nginx entrance that prefers one instance, hear every post over the guestbook's
/// channel, whichever instance took it; the tab on the killed instance reconnects to the other and
/// hears every post made after it rejoined.
///
/// The time limit counts the wait for ``ReleaseBuilds``: on a fresh machine the guestbook's
/// release build (BoringSSL and postgres-nio included) may queue behind the other playgrounds'.
@Suite(.serialized, .timeLimit(.minutes(60)))
struct ScaleOutTests {
    /// The clients' stop flag and what they saw.
    final class Load: Sendable {
        let stop = Atomic<Bool>(false)
        let tally = Mutex(Tally())
    }

    /// What the clients saw.
    struct Tally: Sendable {
        /// The bodies (`c<client>-<sequence>`, unique) of posts answered 2xx.
        var posted: Set<String> = []
        /// Failed posts: body and what came back.
        var failed: [(text: String, outcome: String)] = []
        /// The instances (upstream addresses) that answered posts 2xx.
        var answeredBy: Set<String> = []
        /// Per client, its session cookie (`rw_session=…`).
        var cookies: [Int: String] = [:]
        var unauthorized = 0
    }

    @Test func everyAcknowledgedPostIsStoredOnceAndSessionsWorkOnEitherInstance() async throws {
        try await GuestbookRelease.build()

        let cluster = try await PostgresCluster.start()
        var children: [ChildProcess] = []
        var proxy: NginxProxy?
        var browser: Browser?
        do {
            let ports = [try PostgresCluster.freePort(), try PostgresCluster.freePort()]
            // One after the other: the first applies the migrations, the second finds them applied.
            var first = try await GuestbookRelease.start(port: ports[0], database: cluster.url).child
            let second = try await GuestbookRelease.start(port: ports[1], database: cluster.url).child
            children = [first, second]
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-nginx-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: folder) }
            let nginx = try await NginxProxy.start(upstreams: ports, folder: folder)
            proxy = nginx

            // A tab on each instance, through its entrance; each hears posts made on the other.
            let tabs = try await Browser.launch()
            browser = tabs
            try await Self.watch(tabs, nginx.pinnedAddresses[0])
            let onFirst = try await tabs.newTab()
            try await Self.watch(tabs, nginx.pinnedAddresses[1])
            let onSecond = try await tabs.currentTab()
            let poster = try await Self.signIn(nginx.address, name: "poster")
            for (index, entrance) in nginx.pinnedAddresses.enumerated() {
                let reply = try await Self.post("via-\(index)", entrance, cookie: poster)
                #expect(
                    reply.status == 200 && reply.header("X-Upstream") == "127.0.0.1:\(ports[index])",
                    "the entrance of instance \(index) sent the post there: \(reply.status) \(reply.header("X-Upstream") ?? "")")
            }
            try await Self.expectHeard(["via-0", "via-1"], in: tabs, tabs: [onFirst, onSecond], "before the kill")

            let clients = 6
            let state = Load()
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for client in 0..<clients {
                        group.addTask { await Self.postLoop(client: client, base: nginx.address, load: state) }
                    }
                }
            }
            func waitForPosts(_ count: Int) async throws {
                let deadline = ContinuousClock.now + .seconds(120)
                while state.tally.withLock({ $0.posted.count }) < count {
                    try #require(ContinuousClock.now < deadline, "the load stalled at \(state.tally.withLock { $0.posted.count }) posts")
                    try await Task.sleep(for: .milliseconds(10))  // polling the clients' tally
                }
            }

            try await waitForPosts(100)
            _ = await first.stop(SIGKILL)
            let atKill = state.tally.withLock { $0.posted.count }
            // The tab on the killed instance reconnects, through its entrance, to the other one and
            // rejoins; every post made after that reaches both tabs, while the load goes on.
            try await tabs.switchTo(onFirst)
            let rejoined = try await tabs.waitUntil(
                #"window.rwStatuses.includes("reconnecting") && \#(GuestbookPlaygroundTests.joined)"#, timeout: .seconds(30))
            let statuses = try await tabs.run("return window.rwStatuses.join(',');") ?? ""
            try #require(rejoined, "the tab on the killed instance did not rejoin: \(statuses)")
            let afterRejoin = (1...10).map { "after-rejoin-\($0)" }
            for text in afterRejoin {
                let reply = try await Self.post(text, nginx.address, cookie: poster)
                #expect(reply.status == 200, "\(text): \(reply.status) \(reply.text.prefix(80))")
                #expect(reply.header("X-Upstream")?.hasSuffix(":\(ports[1])") == true, "only the second instance answers now")
            }
            try await Self.expectHeard(afterRejoin, in: tabs, tabs: [onFirst, onSecond], "after the rejoin")
            try await tabs.switchTo(onSecond)
            #expect(try await tabs.run("return window.rwStatuses.join(',');") == "open", "the tab on the live instance never reconnected")
            try await waitForPosts(atKill + 100)
            first = try await GuestbookRelease.start(port: ports[0], database: cluster.url).child
            children[0] = first
            let atRestart = state.tally.withLock { $0.posted.count }
            try await waitForPosts(atRestart + 200)
            state.stop.store(true, ordering: .relaxed)
            await load.value

            let seen = state.tally.withLock { $0 }
            // Posts carry no idempotency key, so a POST that nginx sent to both instances would be
            // stored twice: the unique constraint cannot hide a retry.
            let stored = try await cluster.psql("SELECT body FROM messages")
                .split(separator: "\n").map(String.init).filter { $0.hasPrefix("c") }
            let counts = Dictionary(stored.map { ($0, 1) }, uniquingKeysWith: +)
            print(
                "scale-out: \(seen.posted.count + seen.failed.count) posts, \(seen.posted.count) answered 2xx, "
                    + "\(seen.failed.count) failed, \(stored.count) rows stored; failures: \(seen.failed.map(\.outcome))")
            #expect(counts.values.allSatisfy { $0 == 1 }, "a post was stored twice: \(counts.filter { $0.value > 1 })")
            let missing = seen.posted.subtracting(counts.keys)
            #expect(missing.isEmpty, "posts answered 2xx but not stored: \(missing.sorted().prefix(10))")
            // Only requests in flight on the killed instance may fail: one per client at most.
            #expect(seen.failed.count <= clients, "\(seen.failed)")
            #expect(seen.unauthorized == 0, "a session was not recognised by an instance")
            #expect(seen.answeredBy.count == 2, "nginx spread the posts over both instances: \(seen.answeredBy)")
            // Every client's session, signed in through nginx on whichever instance, is
            // recognised by each instance asked directly.
            for (client, cookie) in seen.cookies.sorted(by: { $0.key < $1.key }) {
                for port in ports {
                    let page = try await HTTP(base: "http://127.0.0.1:\(port)").send("GET", "/", headers: ["Cookie": cookie])
                    #expect(page.text.contains("Signed in as user\(client)"), "instance on \(port) did not recognise client \(client)'s session")
                }
            }
            #expect(seen.cookies.count == clients)
        } catch {
            Issue.record(error)
        }
        await browser?.close()
        await proxy?.stop()
        for child in children { _ = await child.stop() }
        await cluster.stop()
    }

    /// Opens the guestbook's first page through `entrance` in the current tab, waits until it
    /// joined the guestbook's channel, and records in the page every post it hears
    /// (`window.rwHeard`) and its socket's statuses from now on (`window.rwStatuses`).
    static func watch(_ browser: Browser, _ entrance: String) async throws {
        try await browser.open(entrance + "/")
        try #require(try await browser.waitUntil(GuestbookPlaygroundTests.joined, timeout: .seconds(30)), "the tab through \(entrance) did not join")
        try await browser.run(
            #"""
            window.rwHeard = []; window.rwStatuses = [];
            rw.channel("guestbook").on("message", (update) => { if (update.post) window.rwHeard.push(update.post.body); });
            rw.onSocketStatus((status) => window.rwStatuses.push(status));
            """#)
    }

    /// Expects each of `tabs` to hear every post in `texts` within 10 s.
    static func expectHeard(_ texts: [String], in browser: Browser, tabs: [String], _ when: String) async throws {
        let list = "[" + texts.map(Browser.quoted).joined(separator: ",") + "]"
        for (index, tab) in tabs.enumerated() {
            try await browser.switchTo(tab)
            let heard = try await browser.waitUntil("\(list).every((text) => window.rwHeard.includes(text))", timeout: .seconds(10))
            let seen = try await browser.run("return window.rwHeard.filter((text) => !text.startsWith('c')).join(',');") ?? ""
            #expect(heard, "tab \(index) \(when) heard \(seen), not all of \(texts)")
        }
    }

    /// The session cookie (`rw_session=…`) of `name`, signed in through `base`.
    static func signIn(_ base: String, name: String) async throws -> String {
        let reply = try await HTTP(base: base).send(
            "POST", "/_rw/action/signIn", headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"], body: "name=\(name)")
        return String(try #require(reply.header("Set-Cookie"), "signing in answered \(reply.status)").prefix { $0 != ";" })
    }

    /// Posts `text` through `base` with the session `cookie`.
    static func post(_ text: String, _ base: String, cookie: String) async throws -> HTTP.Reply {
        try await HTTP(base: base).send(
            "POST", "/_rw/action/post",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "Cookie": cookie], body: "body=\(text)")
    }

    /// Signs client `client` in, then posts messages with unique texts until `stop`, recording
    /// each outcome in `load`.
    static func postLoop(client: Int, base: String, load: Load) async {
        let http = HTTP(base: base)
        var cookie = ""
        while cookie.isEmpty && !load.stop.load(ordering: .relaxed) {
            guard
                let reply = try? await http.send(
                    "POST", "/_rw/action/signIn",
                    headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"], body: "name=user\(client)"),
                reply.status == 200, let setCookie = reply.header("Set-Cookie")
            else { continue }
            cookie = String(setCookie.prefix { $0 != ";" })
        }
        load.tally.withLock { $0.cookies[client] = cookie }
        var sequence = 0
        while !load.stop.load(ordering: .relaxed) {
            sequence += 1
            let text = "c\(client)-\(sequence)"
            do {
                let reply = try await http.send(
                    "POST", "/_rw/action/post",
                    headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "Cookie": cookie],
                    body: "body=\(text)")
                load.tally.withLock { tally in
                    if (200..<300).contains(reply.status) {
                        tally.posted.insert(text)
                        // After a failed attempt nginx lists every server it tried; the last one answered.
                        let upstream = reply.header("X-Upstream")?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces)
                        tally.answeredBy.insert(upstream ?? "?")
                    } else {
                        if reply.status == 401 { tally.unauthorized += 1 }
                        tally.failed.append((text, "\(reply.status) \(reply.text.prefix(80))"))
                    }
                }
            } catch {
                load.tally.withLock { $0.failed.append((text, "\(error)")) }
            }
        }
    }
}
