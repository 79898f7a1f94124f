import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

// Usage: PlainChannels <port>
// bench/realtime's channel by hand on hummingbird-websocket, written for speed: the same frames
// at the same path (`/_rw/socket`, a subset of RwSDK's channel protocol). A `join` subscribes the
// socket to the topic and is answered `joined`; a `message` to a joined topic is sent to every
// subscriber of the topic, encoded once into one buffer that every socket's frame shares. Each
// socket has a bounded send queue written by a task of its own, so a broadcast never waits for a
// subscriber (as RwSDK's). GET / answers "ok" (for the bench's readiness check).
let arguments = CommandLine.arguments
guard arguments.count == 2, let port = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: PlainChannels <port>\n".utf8))
    exit(2)
}

/// A frame from a client: `join` or `message` (with the message's `data`).
struct Incoming: Decodable {
    let type: String
    let topic: String
    let ref: Int?
    let data: Line?
}

/// The message type of the bench channel (bench/realtime's `BenchLine`).
struct Line: Codable {
    let n: Int
}

struct Outgoing: Encodable {
    let type: String
    let topic: String
    let ref: Int?
    let data: Line?

    /// The frame as JSON text.
    var buffer: ByteBuffer { ByteBuffer(bytes: (try? JSONEncoder().encode(self)) ?? Data()) }
}

/// Subscribers by topic: each socket's send queue.
final class Topics: Sendable {
    private let subscribers = Mutex<[String: [Int: AsyncStream<ByteBuffer>.Continuation]]>([:])

    func subscribe(_ id: Int, _ queue: AsyncStream<ByteBuffer>.Continuation, to topic: String) {
        subscribers.withLock { $0[topic, default: [:]][id] = queue }
    }

    func remove(_ id: Int, from topics: [String]) {
        subscribers.withLock { subscribers in
            for topic in topics {
                subscribers[topic]?[id] = nil
                if subscribers[topic]?.isEmpty == true { subscribers[topic] = nil }
            }
        }
    }

    /// Queues `buffer` for every subscriber of `topic`.
    func publish(_ buffer: ByteBuffer, to topic: String) {
        let queues = subscribers.withLock { $0[topic].map { Array($0.values) } ?? [] }
        for queue in queues { queue.yield(buffer) }
    }
}

let topics = Topics()
let nextID = Atomic<Int>(0)

let router = Router()
router.get("/") { _, _ in "ok" }
let sockets = Router(context: BasicWebSocketRequestContext.self)
sockets.ws("/_rw/socket") { inbound, outbound, _ in
    let id = nextID.add(1, ordering: .relaxed).newValue
    let (queued, queue) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingOldest(256))
    var joined: [String] = []
    await withTaskGroup(of: Void.self) { group in
        group.addTask {
            do {
                for await buffer in queued {
                    try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: buffer)))
                }
            } catch {}
        }
        let decoder = JSONDecoder()
        do {
            for try await message in inbound.messages(maxSize: 1 << 16) {
                guard case .text(let text) = message, let frame = try? decoder.decode(Incoming.self, from: Data(text.utf8)) else {
                    continue
                }
                switch frame.type {
                case "join":
                    if !joined.contains(frame.topic) {
                        joined.append(frame.topic)
                        topics.subscribe(id, queue, to: frame.topic)
                    }
                    queue.yield(Outgoing(type: "joined", topic: frame.topic, ref: frame.ref, data: nil).buffer)
                case "message" where joined.contains(frame.topic):
                    topics.publish(Outgoing(type: "message", topic: frame.topic, ref: nil, data: frame.data).buffer, to: frame.topic)
                default:
                    break
                }
            }
        } catch {}
        topics.remove(id, from: joined)
        queue.finish()
    }
}
let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(webSocketRouter: sockets),
    configuration: .init(address: .hostname("127.0.0.1", port: port))
)
try await app.runService()
