import Foundation
import RwWire
import Synchronization
import Testing

/// The front's end of the runner connection against a peer on a socket pair that answers as
/// the test says.
@Suite(.timeLimit(.minutes(5))) struct MultiplexedClientTests {
    /// A peer reading frames on a thread of its own and handing them to the test.
    final class Peer: Sendable {
        let connection: FrameConnection
        let received: AsyncStream<Frame>

        init(_ socket: UnixSocket) {
            connection = FrameConnection(socket)
            let (stream, sink) = AsyncStream.makeStream(of: Frame.self)
            received = stream
            Thread { [connection] in
                _ = connection.read { frame, _ in sink.yield(frame) }
                sink.finish()
            }.start()
        }
    }

    @Test func manyRequestsInFlightAnsweredInReverseOrderEachGetTheirOwnAnswer() async throws {
        let (front, runnerSocket) = try UnixSocket.pair()
        let client = MultiplexedClient(FrameConnection(front))
        client.start(onEvent: { _ in }, onEnd: { _ in })
        let peer = Peer(runnerSocket)
        let count = 64
        let answers = Task {
            try await withThrowingTaskGroup(of: (Int, Frame).self) { group in
                for index in 0..<count {
                    group.addTask { (index, try await client.request(.request, Array("request \(index)".utf8))) }
                }
                return try await group.reduce(into: [Int: Frame]()) { $0[$1.0] = $1.1 }
            }
        }
        // The peer waits for every request, then answers the last one first.
        var requests: [Frame] = []
        for await frame in peer.received {
            requests.append(frame)
            if requests.count == count { break }
        }
        #expect(Set(requests.map(\.stream)).count == count, "every request has a stream of its own")
        for request in requests.reversed() {
            try peer.connection.send(Frame(.response, stream: request.stream, Array("answer to ".utf8) + request.payload))
        }
        let frames = try await answers.value
        #expect(frames.count == count)
        for index in 0..<count {
            #expect(frames[index].map { String(decoding: $0.payload, as: UTF8.self) } == "answer to request \(index)")
        }
        #expect(client.waitingCount == 0)
    }

    @Test func unsolicitedFramesAreEventsAndAnswersToNoRequestAreDropped() async throws {
        let (front, runnerSocket) = try UnixSocket.pair()
        let client = MultiplexedClient(FrameConnection(front))
        let (events, sink) = AsyncStream.makeStream(of: Frame.self)
        client.start(onEvent: { sink.yield($0) }, onEnd: { _ in sink.finish() })
        let peer = Peer(runnerSocket)
        let stuck = StuckHandler(method: "GET", path: "/spin", timeoutSeconds: 1, graceSeconds: 1)
        try peer.connection.send(Frame(.response, stream: 999, []))
        try peer.connection.send(Frame(.stuck, json: stuck))
        var iterator = events.makeAsyncIterator()
        let event = await iterator.next()
        #expect(try event?.decode(StuckHandler.self) == stuck)
        #expect(client.waitingCount == 0)
    }

    @Test func aRequestWithoutAnswerTimesOutAndALateAnswerIsDropped() async throws {
        let (front, runnerSocket) = try UnixSocket.pair()
        let client = MultiplexedClient(FrameConnection(front))
        client.start(onEvent: { _ in }, onEnd: { _ in })
        let peer = Peer(runnerSocket)
        await #expect(throws: WireError.timedOut) {
            try await client.request(.request, [], timeout: .milliseconds(200))
        }
        var iterator = peer.received.makeAsyncIterator()
        let late = try #require(await iterator.next())
        try peer.connection.send(Frame(.response, stream: late.stream, []))
        // The next request still gets its own answer, not the late one.
        async let next = client.request(.request, Array("next".utf8), timeout: .seconds(60))
        let second = try #require(await iterator.next())
        try peer.connection.send(Frame(.response, stream: second.stream, Array("second".utf8)))
        #expect(try await next.payload == Array("second".utf8))
    }

    @Test func theEndOfTheConnectionFailsEveryWaitingRequest() async throws {
        let (front, runnerSocket) = try UnixSocket.pair()
        let client = MultiplexedClient(FrameConnection(front))
        let (ended, sink) = AsyncStream.makeStream(of: WireError?.self)
        client.start(onEvent: { _ in }, onEnd: { sink.yield($0) })
        let peer = Peer(runnerSocket)
        async let first = await Result(catching: { try await client.request(.request, []) })
        async let second = await Result(catching: { try await client.request(.load, []) })
        var iterator = peer.received.makeAsyncIterator()
        _ = await iterator.next()
        _ = await iterator.next()
        peer.connection.shutdown()
        let results = await [first, second]
        for result in results {
            #expect(throws: WireError.closed) { try result.get() }
        }
        var endings = ended.makeAsyncIterator()
        #expect(await endings.next() == .some(nil), "a clean close between frames")
        await #expect(throws: WireError.closed) { try await client.request(.request, []) }
    }

    @Test func aMalformedFrameEndsTheConnectionWithTheReason() async throws {
        let (front, runnerSocket) = try UnixSocket.pair()
        let client = MultiplexedClient(FrameConnection(front))
        let (ended, sink) = AsyncStream.makeStream(of: WireError?.self)
        client.start(onEvent: { _ in }, onEnd: { sink.yield($0) })
        async let waiting = await Result(catching: { try await client.request(.request, []) })
        try runnerSocket.send([0xEE, 0, 0, 0, 1, 0, 0, 0, 0])
        let result = await waiting
        #expect(throws: WireError.closed) { try result.get() }
        var endings = ended.makeAsyncIterator()
        #expect(await endings.next() == .some(.malformed("unknown frame kind 238")))
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
