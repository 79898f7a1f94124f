import Atomics
import Foundation
import RwSDK

// The dev server tests edit this line.
let marker = "v0"

// A module-level global: kept across reloads (a runner restart starts it again).
nonisolated(unsafe) var globalHits = 0

// The fault tests' store: 10 000 entries of a type every generation reloads (a Dictionary of an
// app struct whose layout never changes: each reload keeps it as it is).
struct BulkEntry: Codable, Sendable {
    var text: String
}

func bulkInitial() -> [Int: BulkEntry] {
    Dictionary(uniqueKeysWithValues: (0..<10_000).map { ($0, BulkEntry(text: "entry-\($0)")) })
}

func recurse(_ depth: Int) -> Int {
    depth <= 0 ? 0 : 1 + recurse(depth - 1)
}

/// Holds the /reverse requests until all of them have arrived, then lets them finish one at a
/// time from the highest index down, each numbered in the order it finished.
final class Turnstile: @unchecked Sendable {
    private let lock = NSLock()
    private var arrived = 0
    private var finished = 0
    private var gates: [Int: AsyncStream<Void>.Continuation] = [:]

    /// Waits for request `index` of `count`'s turn.
    func enter(_ index: Int, of count: Int) async {
        let (turn, gate) = AsyncStream.makeStream(of: Void.self)
        let all = lock.withLock {
            gates[index] = gate
            arrived += 1
            return arrived == count
        }
        if all { open(count - 1) }
        for await _ in turn { break }
    }

    /// Ends request `index`'s turn and gives the next one its turn; returns its finishing rank.
    func leave(_ index: Int) -> Int {
        let rank = lock.withLock {
            finished += 1
            return finished
        }
        if index > 0 { open(index - 1) }
        return rank
    }

    private func open(_ index: Int) {
        lock.withLock { gates.removeValue(forKey: index) }?.yield()
    }
}

let turnstile = Turnstile()

let explode = serverAction("explode") { _ -> [String: String] in fatalError("action trap requested by the test") }

// A body over rw dev's limit is refused unread, and the app answers it, as in production.
public let app = defineApp(onError: { error, _ in error.status == 413 ? RwResponse(status: 413, text: "DevApp refuses: \(error.message)") : nil }) {
    middleware { info in info.ctx["requestID"] = info.request.headers["X-Request-ID"] ?? "none" }
    route("/") { RwResponse(text: "marker=\(marker)") }
    route("/page") { p { "marker=\(marker)" } }
    route("/counter") {
        globalHits += 1
        let kept = updateRwState("counter", initializer: { 0 }) { value -> Int in
            value += 1
            return value
        }
        return RwResponse(text: "\(marker) kept=\(kept) global=\(globalHits)")
    }
    // Waits until /release (served by a newer generation) lets it go, then calls that
    // generation's code, which reads this request's requestInfo.
    route("/span") {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        setRwState("span.release", continuation)
        for await _ in stream { break }
        requestInfo.response.headers["X-Span"] = "started-on-\(marker)"
        let hook = getRwState("span.hook", as: (@Sendable () -> String).self)
        return RwResponse(text: "started=\(marker) hook=\(hook?() ?? "missing")")
    }
    route("/release") {
        let hook: @Sendable () -> String = {
            "\(marker) read path=\(requestInfo.request.path) id=\(requestInfo.ctx["requestID"] as? String ?? "?")"
        }
        setRwState("span.hook", hook)
        getRwState("span.release", as: AsyncStream<String>.Continuation.self)?.yield("go")
        return RwResponse(text: "released")
    }
    // A streamed page: its first part at once, the awaited part once /open-stream/:key lets it
    // go (it throws instead with ?fail).
    route("/stream/:key") { info in
        let key = info.params["key"] ?? ""
        let fails = info.request.query["fail"] != nil
        return main {
            h1 { "before the wait" }
            Await { () async throws -> String in
                let (stream, continuation) = AsyncStream.makeStream(of: String.self)
                setRwState("stream.open.\(key)", continuation)
                for await _ in stream { break }
                if fails { throw HTTPStatusError(500, "the awaited part failed") }
                return "after the wait"
            } content: { text in
                p { text }
            }
        }
    }
    route("/open-stream/:key") { info in
        getRwState("stream.open.\(info.params["key"] ?? "")", as: AsyncStream<String>.Continuation.self)?.yield("go")
        return RwResponse(text: "opened")
    }
    // The identity of a package type's instance kept in state, and of an RwSDK type's metadata:
    // both stay while deps layers are only added.
    route("/identity") {
        let counter = defineRwState("atomic") { ManagedAtomic<Int>(0) }
        let count = counter.wrappingIncrementThenLoad(ordering: .relaxed)
        return RwResponse(text: "atomic=\(ObjectIdentifier(counter)) count=\(count) sdk=\(ObjectIdentifier(type(of: app)))")
    }
    route("/trap") { () -> RwResponse in fatalError("trap requested by the test") }
    // Every entry of the store, one "index=text" line each, in index order.
    route("/bulk") {
        let store = defineRwState("bulk", bulkInitial)
        return RwResponse(text: store.keys.sorted().map { "\($0)=\(store[$0]!.text)" }.joined(separator: "\n"))
    }
    route("/bulk/touch/:index") { info in
        let index = Int(info.params["index"] ?? "") ?? -1
        updateRwState("bulk", initializer: bulkInitial) { $0[index]?.text = "touched-\(index)" }
        return RwResponse(text: "touched \(index)")
    }
    // Works for a while, then traps.
    route("/slow-trap") { () -> RwResponse in
        setRwState("slow-trap.started", true)
        try await Task.sleep(for: .milliseconds(300))
        fatalError("trap during a long response requested by the test")
    }
    // Waits (cancellably) far longer than any request timeout.
    route("/sleep") {
        try await Task.sleep(for: .seconds(3600))
        return RwResponse(text: "woke up")
    }
    // Never yields and never returns.
    route("/spin") { () -> RwResponse in
        var turns = 0
        while getRwState("spin.stop", as: Bool.self) != true { turns &+= 1 }
        return RwResponse(text: "stopped after \(turns) turns")
    }
    route("/reverse/:count/:index") { info in
        let index = Int(info.params["index"] ?? "") ?? 0
        await turnstile.enter(index, of: Int(info.params["count"] ?? "") ?? 1)
        return RwResponse(text: "request \(index) finished \(turnstile.leave(index))")
    }
    route("/recurse") { RwResponse(text: "depth \(recurse(Int.max / 2))") }
    explode
}
