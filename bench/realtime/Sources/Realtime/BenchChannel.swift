public import RwSDK

/// The message of the bench channel: `{"n": 1}`.
struct BenchLine: Codable, Sendable {
    let n: Int
}

/// The bench channel: any socket may join a `bench:*` topic, and each message it sends there is
/// broadcast to every socket that joined the topic (itself included).
public func benchChannel() -> AppEntry {
    channel("bench:*", receiving: BenchLine.self) { event, line in
        try broadcast(event.topic, line)
    }
}
