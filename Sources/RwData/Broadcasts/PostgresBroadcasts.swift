#if PostgreSQL
import Foundation
import Logging
import PostgresNIO
import RwState
import Synchronization

/// Channel broadcasts across instances through PostgreSQL `LISTEN`/`NOTIFY`, on the app's own
/// pool: every instance listens on ``channel`` with one connection of its pool, and sends what it
/// broadcasts with `pg_notify` (the payload a bound parameter), in order, from one task.
///
/// A broadcast's envelope names the instance that sent it, which skips its own (its subscribers
/// got the message at once, in process). NOTIFY takes payloads shorter than 8000 bytes: a larger
/// envelope is stored in the table `rw_broadcasts` and the notification carries only its row id,
/// which each listener reads back; rows older than five minutes are deleted as new ones are
/// stored. Broadcasts sent while an instance's listening connection is down (the server
/// restarting) do not reach that instance; it listens again a second after the failure.
final class PostgresBroadcasts: Sendable {
    /// The notification channel.
    static let channel = "rw_broadcasts"
    /// The largest envelope sent inline: NOTIFY's payload must be shorter than 8000 bytes.
    static let maxInlinePayload = 7999

    /// What travels between instances.
    struct Envelope: Codable, Equatable {
        /// The sending instance.
        var from: String
        var topic: String
        var text: String?
        var binary: Data?
        /// The row of `rw_broadcasts` holding the whole envelope, for one too large to inline.
        var stored: Int64?
    }

    /// This instance's id.
    let instance = UUID().uuidString
    private let client: PostgresClient
    private let logger: Logger
    private let deliver: @Sendable (_ topic: String, _ message: SocketMessage) -> Void
    private let outgoing: AsyncStream<Envelope>.Continuation
    private let listeningNow = Atomic<Bool>(false)
    private let tasks = Mutex<[Task<Void, Never>]>([])

    /// Fan-out on `client`'s pool; `deliver` hands a broadcast from another instance to this
    /// process's subscribers. Starts listening at once.
    init(client: PostgresClient, logger: Logger, deliver: @escaping @Sendable (_ topic: String, _ message: SocketMessage) -> Void) {
        self.client = client
        self.logger = logger
        self.deliver = deliver
        let (envelopes, outgoing) = AsyncStream.makeStream(of: Envelope.self)
        self.outgoing = outgoing
        let listening = Task { [self] in await listen() }
        let sending = Task { [self] in await send(envelopes) }
        tasks.withLock { $0 = [listening, sending] }
    }

    /// Whether this instance is listening now (broadcasts of others reach it).
    var isListening: Bool { listeningNow.load(ordering: .acquiring) }

    /// Sends `message` for `topic` to the other instances; returns at once (sending is in order,
    /// on a task of its own).
    func publish(_ topic: String, _ message: SocketMessage) {
        switch message {
        case .text(let text): outgoing.yield(Envelope(from: instance, topic: topic, text: text))
        case .binary(let bytes): outgoing.yield(Envelope(from: instance, topic: topic, binary: Data(bytes)))
        }
    }

    /// Stops listening and sending.
    func stop() {
        outgoing.finish()
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }

    private func send(_ envelopes: AsyncStream<Envelope>) async {
        var tableExists = false
        for await envelope in envelopes {
            do {
                let json = String(decoding: try JSONEncoder().encode(envelope), as: UTF8.self)
                guard json.utf8.count > Self.maxInlinePayload else {
                    try await client.query("SELECT pg_notify(\(Self.channel), \(json))", logger: logger)
                    continue
                }
                if !tableExists {
                    try await Self.createTable(on: client, logger: logger)
                    tableExists = true
                }
                var id: Int64?
                for try await row in try await client.query("INSERT INTO rw_broadcasts (envelope) VALUES (\(json)) RETURNING id", logger: logger)
                    .decode(Int64.self)
                {
                    id = row
                }
                let pointer = Envelope(from: instance, topic: envelope.topic, stored: id)
                let pointerJSON = String(decoding: try JSONEncoder().encode(pointer), as: UTF8.self)
                try await client.query("SELECT pg_notify(\(Self.channel), \(pointerJSON))", logger: logger)
                try await client.query("DELETE FROM rw_broadcasts WHERE created_at < now() - interval '5 minutes'", logger: logger)
            } catch {
                logger.error("a broadcast to topic \(envelope.topic) did not reach the other instances: \(String(reflecting: error))")
            }
        }
    }

    private static func createTable(on client: PostgresClient, logger: Logger) async throws {
        try await client.query(
            "CREATE TABLE IF NOT EXISTS rw_broadcasts (id BIGSERIAL PRIMARY KEY, envelope TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            logger: logger)
    }

    private func listen() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    let notifications = try await connection.listen(Self.channel)
                    listeningNow.store(true, ordering: .releasing)
                    for try await notification in notifications {
                        await receive(notification.payload)
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("listening for broadcasts of other instances failed, again in 1 s: \(String(reflecting: error))")
            }
            listeningNow.store(false, ordering: .releasing)
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func receive(_ payload: String) async {
        guard var envelope = try? JSONDecoder().decode(Envelope.self, from: Data(payload.utf8)), envelope.from != instance else { return }
        if let id = envelope.stored {
            do {
                var stored: String?
                for try await row in try await client.query("SELECT envelope FROM rw_broadcasts WHERE id = \(id)", logger: logger).decode(String.self) {
                    stored = row
                }
                guard let stored, let whole = try? JSONDecoder().decode(Envelope.self, from: Data(stored.utf8)) else { return }
                envelope = whole
            } catch {
                logger.error("a large broadcast of another instance could not be read: \(String(reflecting: error))")
                return
            }
        }
        if let text = envelope.text {
            deliver(envelope.topic, .text(text))
        } else if let binary = envelope.binary {
            deliver(envelope.topic, .binary(Array(binary)))
        }
    }
}
#endif
