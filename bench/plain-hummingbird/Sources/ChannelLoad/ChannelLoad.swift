import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

// The WebSocket load client of bench/run's realtime rows: SwiftNIO's WebSocket client upgrade
// and frame codec, one event loop per core; sockets that only receive are handled on their
// event loop (a receipt is timed as its frame is read), the others by a task each. It sends the
// `Host` of the URL and no `Origin`, as a client that is not a browser. It speaks RwSDK's
// channel protocol at `/_rw/socket` (join, then messages `{"n": …}`), which PlainChannels
// answers too. Prints one JSON line on stdout; every wait is bounded (a passed bound exits 3
// naming what it waited for).
//
//   ChannelLoad fanout <send url> <receive url> <clients> <rounds>
//       `clients` sockets join `bench:all` at <receive url>, one more socket at <send url>; each
//       round the sender sends one message, which the channel broadcasts to the topic; the time
//       from the send to each client's receipt, in µs: {"latencies_us": […]}.
//   ChannelLoad rate <url> <clients> <seconds>
//       each client joins its own topic and sends one message after the other, each broadcast
//       back to it; messages received per second: {"messages": n, "seconds": s}.
//   ChannelLoad hold <url> <clients>
//       opens and joins `clients` sockets, prints {"held": n}, then holds them until stdin closes.
//   ChannelLoad roundtrip <url> <count>
//       one socket sends `count` messages one after the other (after 50 unmeasured):
//       {"latencies_us": […]} from send to the broadcast's receipt.

func fail(_ message: String, code: Int32 = 3) -> Never {
    FileHandle.standardError.write(Data("ChannelLoad: \(message)\n".utf8))
    exit(code)
}

func output(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

/// Exits naming `what` unless cancelled within `seconds`.
func bound(_ what: String, seconds: Double) -> Task<Void, Never> {
    Task {
        do { try await Task.sleep(for: .seconds(seconds)) } catch { return }
        fail("no \(what) within \(seconds) s")
    }
}

/// A count that tasks wait to reach.
final class Counter: Sendable {
    private struct State {
        var count = 0
        var waiters: [(Int, CheckedContinuation<Void, Never>)] = []
    }
    private let state = Mutex(State())

    func add(_ n: Int = 1) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count += n
            let ready = state.waiters.filter { $0.0 <= state.count }.map(\.1)
            state.waiters.removeAll { $0.0 <= state.count }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    var value: Int { state.withLock { $0.count } }

    /// Returns once the count is at least `target`.
    func wait(for target: Int) async {
        await withCheckedContinuation { continuation in
            let reached = state.withLock { state in
                if state.count >= target { return true }
                state.waiters.append((target, continuation))
                return false
            }
            if reached { continuation.resume() }
        }
    }
}

/// One joined socket: its messages (the text frames of type `message` only) and its writer.
struct Socket {
    var inbound: NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    let topic: String

    /// The next text frame; `nil` when the socket closed. Answers pings.
    mutating func text() async throws -> String? {
        while let frame = try await inbound.next() {
            switch frame.opcode {
            case .text: return String(buffer: frame.unmaskedData)
            case .ping: try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData))
            case .connectionClose: return nil
            default: continue
            }
        }
        return nil
    }

    /// The next broadcast or reply of type `message`; `nil` when the socket closed.
    mutating func next() async throws -> String? {
        while let text = try await text() {
            if text.contains("\"type\":\"message\"") { return text }
            if text.contains("\"type\":\"error\"") || text.contains("\"type\":\"refused\"") { fail("the server answered \(text)", code: 4) }
        }
        return nil
    }

    func write(_ text: String) async throws {
        try await outbound.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text)))
    }

    func send(_ n: Int) async throws {
        try await write(#"{"type":"message","topic":"\#(topic)","data":{"n":\#(n)}}"#)
    }
}

enum Upgrade {
    case socket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
    case handled(any Channel)
    case refused
}

/// A WebSocket to `url` (`ws://host:port/path`), for a task (`receiver` nil) or handled by
/// `receiver` on its event loop.
func connect(_ url: String, receiver: (@Sendable () -> Receiver)? = nil) async throws -> Upgrade {
    guard let parsed = URL(string: url), let host = parsed.host, let port = parsed.port else { fail("not a ws://host:port/path URL: \(url)", code: 2) }
    let path = parsed.path
    let upgraded: EventLoopFuture<Upgrade> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        if let receiver {
                            try channel.pipeline.syncOperations.addHandler(receiver())
                            return .handled(channel)
                        }
                        return .socket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                    }
                })
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: ["Host": "\(host):\(port)", "Content-Length": "0"])
                let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                    upgradeRequestHead: head, upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(.refused) })
                return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                    configuration: .init(upgradeConfiguration: configuration))
            }
        }
    let upgrade = try await upgraded.get()
    if case .refused = upgrade { fail("\(url) refused the WebSocket upgrade", code: 4) }
    return upgrade
}

/// A socket that only receives, handled on its event loop with no task of its own, so that a
/// thousand of them cost the client little: joins `topic` once upgraded, counts the join on
/// `joined`, then calls `received` for each message as its frame is read. (The join is sent by
/// ``receiver(_:topic:joined:received:)`` once the upgrade is over.)
final class Receiver: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let topic: String
    let joined: Counter
    let received: @Sendable () -> Void
    private var isJoined = false

    init(topic: String, joined: Counter, received: @escaping @Sendable () -> Void) {
        self.topic = topic
        self.joined = joined
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let text = String(buffer: frame.unmaskedData)
            if text.contains("\"type\":\"message\"") {
                received()
            } else if !isJoined, text.contains("\"type\":\"joined\"") {
                isJoined = true
                joined.add()
            } else {
                fail("the server answered \(text)", code: 4)
            }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            fail("the server closed a socket", code: 4)
        default:
            break
        }
    }
}

/// Opens a receiving socket to `url` (see ``Receiver``).
func receiver(_ url: String, topic: String, joined: Counter, received: @escaping @Sendable () -> Void) async {
    do {
        guard case .handled(let channel) = try await connect(url, receiver: { Receiver(topic: topic, joined: joined, received: received) }) else { return }
        let join = ByteBuffer(string: #"{"type":"join","topic":"\#(topic)","ref":1}"#)
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: join))
    } catch {
        fail("socket to \(url) failed: \(error)", code: 4)
    }
}

/// Connects to `url`, joins `topic`, counts the join on `joined`, and runs `body` with the socket.
func joined(_ url: String, topic: String, joined: Counter, body: @escaping @Sendable (inout Socket) async throws -> Void) async {
    do {
        guard case .socket(let channel) = try await connect(url) else { return }
        try await channel.executeThenClose { inbound, outbound in
            var socket = Socket(inbound: inbound.makeAsyncIterator(), outbound: outbound, topic: topic)
            try await socket.write(#"{"type":"join","topic":"\#(topic)","ref":1}"#)
            guard let answer = try await socket.text() else { fail("the socket closed before joining \(topic)", code: 4) }
            guard answer.contains("\"type\":\"joined\"") else { fail("joining \(topic) answered \(answer)", code: 4) }
            joined.add()
            try await body(&socket)
        }
    } catch {
        fail("socket to \(url) failed: \(error)", code: 4)
    }
}

/// Opens `count` sockets, at most `batch` connecting at a time, each running `socket(index)`.
func open(_ count: Int, batch: Int = 100, joinedCount: Counter, group: inout DiscardingTaskGroup, socket: @escaping @Sendable (Int) async -> Void) async {
    var started = 0
    while started < count {
        let next = min(count, started + batch)
        for index in started..<next { group.addTask { await socket(index) } }
        started = next
        let wait = bound("join of \(started) sockets", seconds: 60)
        await joinedCount.wait(for: started)
        wait.cancel()
    }
}

func microseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
}

/// The broadcast rounds of `fanout`: when the current one was sent, and each receipt's latency.
final class Rounds: Sendable {
    private struct State {
        var sent = ContinuousClock.now
        var latencies: [Double] = []
    }
    private let state = Mutex(State())
    let received = Counter()

    func send(at instant: ContinuousClock.Instant) { state.withLock { $0.sent = instant } }

    func receipt(at instant: ContinuousClock.Instant) {
        state.withLock { $0.latencies.append(microseconds(instant - $0.sent)) }
        received.add()
    }

    var latencies: [Double] { state.withLock { $0.latencies } }
}

func fanout(send sendURL: String, receive receiveURL: String, clients: Int, rounds: Int) async {
    let joinedCount = Counter()
    let record = Rounds()
    let go = Counter()
    await withDiscardingTaskGroup { group in
        await open(clients, joinedCount: joinedCount, group: &group) { _ in
            await receiver(receiveURL, topic: "bench:all", joined: joinedCount) { record.receipt(at: .now) }
        }
        group.addTask {
            await joined(sendURL, topic: "bench:all", joined: joinedCount) { socket in
                await go.wait(for: 1)
                for round in 1...rounds {
                    let wait = bound("delivery of round \(round) to \(clients) sockets (\(record.received.value - (round - 1) * clients) arrived)", seconds: 30)
                    record.send(at: .now)
                    try await socket.send(round)
                    await record.received.wait(for: round * clients)
                    // The sender's own copy of the broadcast.
                    guard try await socket.next() != nil else { fail("the sender's socket closed", code: 4) }
                    wait.cancel()
                    try await Task.sleep(for: .milliseconds(20))
                }
                output(["latencies_us": record.latencies])
                exit(0)
            }
        }
        let wait = bound("join of the sender", seconds: 60)
        await joinedCount.wait(for: clients + 1)
        wait.cancel()
        // Lets the server settle after the joins.
        try? await Task.sleep(for: .milliseconds(200))
        go.add()
    }
}

func rate(_ url: String, clients: Int, seconds: Double) async {
    let joinedCount = Counter()
    let go = Counter()
    let counted = Atomic<Int>(0)
    let warmup = min(1.0, seconds / 2)
    let start = Mutex(ContinuousClock.now)
    await withDiscardingTaskGroup { group in
        await open(clients, joinedCount: joinedCount, group: &group) { index in
            await joined(url, topic: "bench:\(index)", joined: joinedCount) { socket in
                await go.wait(for: 1)
                let (began, end) = start.withLock { ($0 + .seconds(warmup), $0 + .seconds(warmup + seconds)) }
                var n = 0
                while true {
                    n += 1
                    try await socket.send(n)
                    guard try await socket.next() != nil else { fail("a socket closed under load", code: 4) }
                    let now = ContinuousClock.now
                    if now >= end { break }
                    if now >= began { counted.add(1, ordering: .relaxed) }
                }
            }
        }
        start.withLock { $0 = .now }
        go.add()
        // Past the end, so every message received before it is counted.
        try? await Task.sleep(for: .seconds(warmup + seconds + 0.1))
        output(["messages": counted.load(ordering: .relaxed), "seconds": seconds])
        exit(0)
    }
}

func hold(_ url: String, clients: Int) async {
    let joinedCount = Counter()
    await withDiscardingTaskGroup { group in
        await open(clients, joinedCount: joinedCount, group: &group) { _ in
            await receiver(url, topic: "bench:idle", joined: joinedCount) {}
        }
        output(["held": joinedCount.value])
        // Holds the sockets until stdin closes.
        await Task.detached { while readLine() != nil {} }.value
        exit(0)
    }
}

func roundtrip(_ url: String, count: Int) async {
    let joinedCount = Counter()
    let wait = bound("join", seconds: 60)
    await joined(url, topic: "bench:rt", joined: joinedCount) { socket in
        wait.cancel()
        var latencies: [Double] = []
        let limit = bound("\(count) round trips", seconds: 120)
        for n in 1...(50 + count) {
            let sent = ContinuousClock.now
            try await socket.send(n)
            guard try await socket.next() != nil else { fail("the socket closed", code: 4) }
            if n > 50 { latencies.append(microseconds(.now - sent)) }
        }
        limit.cancel()
        output(["latencies_us": latencies])
        exit(0)
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch (arguments.first, arguments.count) {
case ("fanout", 5):
    guard let clients = Int(arguments[3]), let rounds = Int(arguments[4]) else { fail("fanout <send url> <receive url> <clients> <rounds>", code: 2) }
    await fanout(send: arguments[1], receive: arguments[2], clients: clients, rounds: rounds)
case ("rate", 4):
    guard let clients = Int(arguments[2]), let seconds = Double(arguments[3]) else { fail("rate <url> <clients> <seconds>", code: 2) }
    await rate(arguments[1], clients: clients, seconds: seconds)
case ("hold", 3):
    guard let clients = Int(arguments[2]) else { fail("hold <url> <clients>", code: 2) }
    await hold(arguments[1], clients: clients)
case ("roundtrip", 3):
    guard let count = Int(arguments[2]) else { fail("roundtrip <url> <count>", code: 2) }
    await roundtrip(arguments[1], count: count)
default:
    fail("usage: ChannelLoad fanout|rate|hold|roundtrip … (see the source's head)", code: 2)
}
fail("the run ended without a result")
