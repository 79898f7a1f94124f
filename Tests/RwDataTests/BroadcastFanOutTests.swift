import Foundation
import PostgresTestSupport
import RwState
import Synchronization
import Testing

@testable import RwData

/// Broadcasts between two instances of an app (two pools on one PostgreSQL, each with its own
/// subscribers): what one sends reaches the other in order, large payloads included (over
/// NOTIFY's 8000 bytes), and no instance gets its own back.
@Suite(.timeLimit(.minutes(3))) struct BroadcastFanOutTests {
    /// What an instance's subscribers received.
    final class Received: Sendable {
        let messages = Mutex<[String]>([])
        func add(_ topic: String, _ message: SocketMessage) {
            let text =
                switch message {
                case .text(let text): "\(topic) text \(text.prefix(20)) \(text.utf8.count)"
                case .binary(let bytes): "\(topic) binary \(bytes)"
                }
            messages.withLock { $0.append(text) }
        }
        var all: [String] { messages.withLock { $0 } }
    }

    /// Waits (bounded: 30 s) until `condition` holds; fails naming `what` when it never does.
    static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<600 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("never within 30 s: \(what)")
        throw CancellationError()
    }

    @Test func broadcastsReachTheOtherInstanceInOrderLargeOnesIncluded() async throws {
        let cluster = try await PostgresCluster.start()
        let first = Database(try DatabaseConfiguration.parse(cluster.url, folder: "/"))
        let second = Database(try DatabaseConfiguration.parse(cluster.url, folder: "/"))
        let (firstReceived, secondReceived) = (Received(), Received())
        let firstFanOut = PostgresBroadcasts(client: (first.backend as! PostgresBackend).client, logger: .init(label: "test"), deliver: firstReceived.add)
        let secondFanOut = PostgresBroadcasts(client: (second.backend as! PostgresBackend).client, logger: .init(label: "test"), deliver: secondReceived.add)
        do {
            try await Self.waitUntil("both instances listen") { firstFanOut.isListening && secondFanOut.isListening }
            let large = String(repeating: "é", count: 10_000)  // 20 000 bytes of UTF-8
            firstFanOut.publish("room:a", .text("one"))
            firstFanOut.publish("room:a", .text(large))
            firstFanOut.publish("room:b", .binary([0, 1, 255]))
            firstFanOut.publish("room:a", .text("four"))
            let expected = ["room:a text one 3", "room:a text \(large.prefix(20)) 20000", "room:b binary [0, 1, 255]", "room:a text four 4"]
            try await Self.waitUntil("the second instance got the four broadcasts") { secondReceived.all.count >= 4 }
            #expect(secondReceived.all == expected)

            // Sent after the first instance's own broadcasts, so its notifications of them came
            // first: it skipped them.
            secondFanOut.publish("room:a", .text("back"))
            try await Self.waitUntil("the first instance got the second's broadcast") { !firstReceived.all.isEmpty }
            #expect(firstReceived.all == ["room:a text back 4"], "an instance does not get its own broadcasts back")
            #expect(secondReceived.all == expected)
        } catch {
            Issue.record(error)
        }
        firstFanOut.stop()
        secondFanOut.stop()
        await first.close()
        await second.close()
        await cluster.stop()
    }
}
