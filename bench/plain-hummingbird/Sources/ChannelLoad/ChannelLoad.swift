import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization

// The WebSocket load client of bench/run's realtime rows (swift-websocket's client on SwiftNIO,
// one event loop per core, one task per socket). It speaks RwSDK's channel protocol at
// `/_rw/socket` (join, then messages `{"n": …}`), which PlainChannels answers too. Prints one
// JSON line on stdout; every wait is bounded (a passed bound exits 3 naming what it waited for).
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

let logger = Logger(label: "channel-load")

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

/// One joined socket: its messages (the frames of type `message` only) and its writer.
struct Socket {
    var inbound: WebSocketInboundMessageStream.AsyncIterator
    let outbound: WebSocketOutboundWriter
    let topic: String

    /// The next broadcast or reply of type `message`; `nil` when the socket closed.
    mutating func next() async throws -> String? {
        while let message = try await inbound.next() {
            guard case .text(let text) = message else { continue }
            if text.contains("\"type\":\"message\"") { return text }
            if text.contains("\"type\":\"error\"") || text.contains("\"type\":\"refused\"") { fail("the server answered \(text)", code: 4) }
        }
        return nil
    }

    func send(_ n: Int) async throws {
        try await outbound.write(.text(#"{"type":"message","topic":"\#(topic)","data":{"n":\#(n)}}"#))
    }
}

/// Connects to `url`, joins `topic`, counts the join on `joined`, and runs `body` with the socket.
func joined(_ url: String, topic: String, joined: Counter, body: @escaping @Sendable (inout Socket) async throws -> Void) async {
    do {
        try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
            var socket = Socket(inbound: inbound.messages(maxSize: 1 << 16).makeAsyncIterator(), outbound: outbound, topic: topic)
            try await outbound.write(.text(#"{"type":"join","topic":"\#(topic)","ref":1}"#))
            while let message = try await socket.inbound.next() {
                guard case .text(let text) = message else { continue }
                if text.contains("\"type\":\"joined\"") { break }
                fail("joining \(topic) answered \(text)", code: 4)
            }
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
            await joined(receiveURL, topic: "bench:all", joined: joinedCount) { socket in
                while try await socket.next() != nil {
                    record.receipt(at: .now)
                }
            }
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
        try? await Task.sleep(for: .seconds(warmup + seconds))
        let wait = bound("end of the rate run", seconds: 30)
        output(["messages": counted.load(ordering: .relaxed), "seconds": seconds])
        wait.cancel()
        exit(0)
    }
}

func hold(_ url: String, clients: Int) async {
    let joinedCount = Counter()
    await withDiscardingTaskGroup { group in
        await open(clients, joinedCount: joinedCount, group: &group) { _ in
            await joined(url, topic: "bench:idle", joined: joinedCount) { socket in
                while try await socket.next() != nil {}
            }
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
