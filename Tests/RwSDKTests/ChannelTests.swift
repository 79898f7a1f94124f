import Foundation
import RwSDKTesting
import Testing

@testable import RwSDK

/// Channels in process: sockets are ``SocketPeer``s fed through `App.receive`, and what the app
/// sends is read back from each peer's queue (only what is already queued, so nothing waits).
@Suite(.timeLimit(.minutes(1))) struct ChannelTests {
    struct Line: Codable, Sendable, Equatable { var text: String }
    struct Seen: Codable { var count: Int }

    /// An app whose `room:*` channel needs a signed-in user and echoes each line to the room,
    /// prefixed with `prefix` (two values stand for two generations of the code).
    static func app(prefix: String = "") -> App {
        defineApp {
            route("/login", methods: [.post]) { () -> RwResponse in
                requestInfo.session["user"] = "ann"
                return RwResponse(text: "in")
            }
            channel(
                "room:*", receiving: Line.self,
                join: { event in
                    guard let user = requestInfo.session["user"] else { throw ChannelRefusal("sign in first") }
                    try event.setState(Seen(count: 0))
                    _ = user
                },
                message: { event, line in
                    let seen = (event.state(as: Seen.self)?.count ?? 0) + 1
                    try event.setState(Seen(count: seen))
                    try broadcast(event.topic, Line(text: "\(prefix)\(line.text) #\(seen) in \(event.subtopic)"))
                })
        }
    }

    static func upgrade(cookie: String? = nil, origin: String? = "http://app.test") -> RwRequest {
        var headers: Headers = ["Host": "app.test", "Upgrade": "websocket"]
        if let cookie { headers["Cookie"] = cookie }
        if let origin { headers["Origin"] = origin }
        return RwRequest(method: "GET", target: App.socketPath, headers: headers)
    }

    /// A session cookie of a signed-in user.
    static func signedIn(_ app: App) async -> String {
        await app.test(host: "app.test") { client in
            await client.request(.post, "/login")
            return client.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
    }

    /// The frames queued for `peer`, decoded, taking only what is already there.
    static func drain(_ peer: SocketPeer) async -> [[String: String]] {
        var frames: [[String: String]] = []
        while peer.queuedMessages > 0 {
            guard case .write(.text(let text)) = await peer.next() else { break }
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            var frame: [String: String] = [:]
            for (key, value) in object ?? [:] {
                frame[key] = (value as? [String: Any]).flatMap { $0["text"] as? String } ?? "\(value)"
            }
            frames.append(frame)
        }
        return frames
    }

    static func join(_ topic: String, ref: Int = 1) -> SocketMessage { .text(#"{"type":"join","topic":"\#(topic)","ref":\#(ref)}"#) }
    static func say(_ topic: String, _ text: String) -> SocketMessage { .text(#"{"type":"message","topic":"\#(topic)","data":{"text":"\#(text)"}}"#) }

    @Test func aJoinWithoutASessionIsRefusedWithTheChannelsReason() async throws {
        let app = Self.app()
        let peer = await app.openSocket(Self.upgrade())
        defer { Task { await app.closeSocket(peer) } }
        await app.receive(Self.join("room:lobby", ref: 7), from: peer)
        #expect(await Self.drain(peer) == [["type": "refused", "topic": "room:lobby", "ref": "7", "reason": "sign in first"]])
        #expect(!peer.hasJoined("room:lobby"))
        // A refused socket is no subscriber.
        #expect(try broadcast("room:lobby", Line(text: "x")) == 0)
        await app.receive(Self.say("room:lobby", "hi"), from: peer)
        #expect(await Self.drain(peer).first?["reason"] == "join the topic before sending to it")
    }

    @Test func aBroadcastReachesEverySubscriberOfTheTopicAndNoOther() async throws {
        let app = Self.app()
        let cookie = await Self.signedIn(app)
        var peers: [SocketPeer] = []
        for _ in 0..<3 {
            let peer = await app.openSocket(Self.upgrade(cookie: cookie))
            await app.receive(Self.join("room:fanout"), from: peer)
            #expect(await Self.drain(peer) == [["type": "joined", "topic": "room:fanout", "ref": "1"]])
            peers.append(peer)
        }
        let elsewhere = await app.openSocket(Self.upgrade(cookie: cookie))
        await app.receive(Self.join("room:other"), from: elsewhere)
        _ = await Self.drain(elsewhere)

        await app.receive(Self.say("room:fanout", "hello"), from: peers[0])
        for peer in peers {
            #expect(await Self.drain(peer) == [["type": "message", "topic": "room:fanout", "data": "hello #1 in fanout"]])
        }
        #expect(await Self.drain(elsewhere).isEmpty)
        // From anywhere (a route, a task): the same frames.
        #expect(try broadcast("room:fanout", Line(text: "from a task")) == 3)
        for peer in peers { #expect(await Self.drain(peer).map { $0["data"] } == ["from a task"]) }

        // A closed socket leaves its topics.
        await app.closeSocket(peers[2])
        #expect(try broadcast("room:fanout", Line(text: "after")) == 2)
        for peer in [peers[0], peers[1], elsewhere] { await app.closeSocket(peer) }
    }

    @Test func eachEventRunsTheCurrentCodeAndTheSocketsStateIsKept() async {
        let first = Self.app(prefix: "v1 ")
        let second = Self.app(prefix: "v2 ")
        let peer = await first.openSocket(Self.upgrade(cookie: await Self.signedIn(first)))
        await first.receive(Self.join("room:reload"), from: peer)
        await first.receive(Self.say("room:reload", "a"), from: peer)
        #expect(await Self.drain(peer).last?["data"] == "v1 a #1 in reload")
        // The next message arrives after a reload: the new code answers, and the count the old
        // code kept for this socket carries on.
        await second.receive(Self.say("room:reload", "b"), from: peer)
        #expect(await Self.drain(peer) == [["type": "message", "topic": "room:reload", "data": "v2 b #2 in reload"]])
        await second.closeSocket(peer)
    }

    @Test func aCrossOriginSocketIsRefusedAndASameOriginOneTaken() async {
        let app = Self.app()
        guard case .failure(let error) = app.socketKind(for: Self.upgrade(origin: "https://evil.example")) else {
            Issue.record("a socket from another origin was taken")
            return
        }
        #expect(error.status == 403)
        if case .success(.channels) = app.socketKind(for: Self.upgrade()) {} else { Issue.record("a same-origin socket was not taken") }
        // The same request answered over HTTP (not upgraded): 403, and 426 for a same origin.
        #expect(await app.handle(Self.upgrade(origin: "https://evil.example")).status == 403)
        #expect(await app.handle(Self.upgrade()).status == 426)
        // An app without sockets leaves the path to its routes.
        #expect(defineApp { route("/") { RwResponse(text: "") } }.socketKind(for: Self.upgrade()) == nil)
    }

    @Test func aSubscriberThatDoesNotReadIsClosedWithItsQueueBounded() async throws {
        let app = Self.app()
        let cookie = await Self.signedIn(app)
        let slow = await app.openSocket(Self.upgrade(cookie: cookie), maxQueuedMessages: 1000, maxQueuedBytes: 64 << 10)
        let reader = await app.openSocket(Self.upgrade(cookie: cookie), maxQueuedMessages: 1000, maxQueuedBytes: 64 << 10)
        for peer in [slow, reader] {
            await app.receive(Self.join("room:flood"), from: peer)
            _ = await Self.drain(peer)
        }
        let line = Line(text: String(repeating: "x", count: 1000))
        var mostQueued = 0
        var readerGot = 0
        for _ in 0..<2000 {
            try broadcast("room:flood", line)
            mostQueued = max(mostQueued, slow.queuedMessages)
            readerGot += await Self.drain(reader).count
        }
        #expect(slow.closeCode == .slowSubscriber)
        #expect(mostQueued <= 64, "at most 64 KiB of 1 KB messages wait; \(mostQueued) did")
        #expect(slow.queuedMessages == 0, "a closed socket's queue is dropped")
        #expect(await slow.next() == .close(.slowSubscriber))
        #expect(readerGot == 2000, "a reading subscriber gets every message")
        #expect(reader.closeCode == nil)
        for peer in [slow, reader] { await app.closeSocket(peer) }
    }

    @Test func topicPatterns() {
        #expect(TopicPattern("room:*").match("room:lobby") == "lobby")
        #expect(TopicPattern("room:*").match("room:") == nil)
        #expect(TopicPattern("room:*").match("rooms") == nil)
        #expect(TopicPattern("lobby").match("lobby") == "")
        #expect(TopicPattern("lobby").match("lobby2") == nil)
    }
}

@Suite struct ChannelScriptTests {
    @Test func theClientRuntimeImportsTheChannelsModuleWhichTheAppServes() async {
        let app = defineApp { route("/") { RwResponse(text: "") } }
        let runtime = await app.handle(RwRequest(method: "GET", target: "/_rw/client.js"))
        #expect(String(decoding: runtime.body, as: UTF8.self).contains(#"from "./channel.js""#))
        let module = await app.handle(RwRequest(method: "GET", target: "/_rw/channel.js"))
        #expect(module.status == 200)
        #expect(module.headers["Content-Type"] == "text/javascript; charset=utf-8")
        #expect(String(decoding: module.body, as: UTF8.self).contains("export function channel(topic)"))
    }
}
