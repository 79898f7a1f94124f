import Foundation
import RwState
import RwWire
import Synchronization
import Testing

/// Streamed answers between the front's client and a runner-like peer on a socket pair: chunks
/// arrive in order as a body stream, the peer never gets further ahead of the reader than its
/// credit window, a failure and a lost connection end the body with an error, and a reader that
/// goes away cancels the producer.
@Suite(.timeLimit(.minutes(5))) struct StreamedAnswerTests {
    /// The runner's side: answers the first request with a streamed response whose pieces
    /// `produce` gives, under `credits`, reading credit and cancel frames as the runner does.
    final class Producer: Sendable {
        let connection: FrameConnection
        let credits: CreditWindows
        let sent = Atomic<Int>(0)
        let requests: AsyncStream<Frame>
        let cancelled = Atomic<Bool>(false)

        init(_ socket: UnixSocket, window: Int) {
            connection = FrameConnection(socket)
            credits = CreditWindows(window: window)
            let (stream, sink) = AsyncStream.makeStream(of: Frame.self)
            requests = stream
            Thread { [connection, credits] in
                _ = connection.read { frame, _ in
                    switch frame.kind {
                    case .credit: credits.grant((try? frame.decode(StreamCredit.self).bytes) ?? 0, to: frame.stream)
                    case .cancel: credits.cancel(frame.stream)
                    default: sink.yield(frame)
                    }
                }
                sink.finish()
            }.start()
        }

        /// Answers `stream` with a head and `pieces`, each sent once the window allows, then the
        /// end (with `failure`).
        func answer(_ stream: UInt32, pieces: [[UInt8]], failure: String? = nil) async throws {
            credits.open(stream)
            defer { credits.close(stream) }
            try connection.send(Frame(.streamStart, stream: stream, WireCodec.encode(RwResponse(text: "head:"))))
            do {
                for piece in pieces {
                    try await credits.take(piece.count, on: stream)
                    try connection.send(Frame(.chunk, stream: stream, piece))
                    sent.add(1, ordering: .sequentiallyConsistent)
                }
            } catch is CancellationError {
                cancelled.store(true, ordering: .sequentiallyConsistent)
                return
            }
            try connection.send(Frame(.streamEnd, stream: stream, json: StreamEnd(failure: failure)))
        }

        /// Waits (bounded) until the producer waits for credit on `stream`.
        func waitsForCredit(_ stream: UInt32) async -> Bool {
            for _ in 0..<2000 {
                if credits.isWaiting(stream) { return true }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return false
        }
    }

    private func connected(window: Int) throws -> (MultiplexedClient, Producer) {
        let (front, runner) = try UnixSocket.pair()
        let client = MultiplexedClient(FrameConnection(front))
        client.start(onEvent: { _ in }, onEnd: { _ in })
        return (client, Producer(runner, window: window))
    }

    private func firstRequest(_ producer: Producer) async throws -> Frame {
        var iterator = producer.requests.makeAsyncIterator()
        return try #require(await iterator.next())
    }

    @Test func theProducerStaysWithinItsWindowOfWhatTheReaderTook() async throws {
        let (client, producer) = try connected(window: 10)
        let asking = Task { try await client.exchange(.request, []) }
        let request = try await firstRequest(producer)
        let pieces = (0..<8).map { Array("piece \($0);".utf8) }  // 8 bytes each
        let answering = Task { try await producer.answer(request.stream, pieces: pieces) }
        let answer = try await asking.value
        #expect(answer.frame.kind == .streamStart)
        let body = client.body(of: answer.frame.stream, frames: try #require(answer.rest))
        // 10 bytes of window: two 8-byte pieces go out (the second overdraws), then it waits.
        #expect(await producer.waitsForCredit(request.stream))
        #expect(producer.sent.load(ordering: .sequentiallyConsistent) == 2)
        var iterator = body.makeAsyncIterator()
        var received: [UInt8] = []
        for taken in 1...pieces.count {
            received += try #require(try await iterator.next())
            // Credit for a piece is granted when the next one is asked for: at most the window
            // plus one piece beyond what the reader has asked for.
            #expect(producer.sent.load(ordering: .sequentiallyConsistent) <= taken + 2)
        }
        #expect(try await iterator.next() == nil)
        #expect(received == Array(pieces.joined()))
        try await answering.value
        #expect(client.openStreamCount == 0)
    }

    @Test func aFailureAndALostConnectionEndTheBodyWithAnError() async throws {
        let (client, producer) = try connected(window: 1 << 20)
        let asking = Task { try await client.exchange(.request, []) }
        let request = try await firstRequest(producer)
        try await producer.answer(request.stream, pieces: [Array("a".utf8)], failure: "it broke")
        let answer = try await asking.value
        var iterator = client.body(of: answer.frame.stream, frames: try #require(answer.rest)).makeAsyncIterator()
        #expect(try await iterator.next() == Array("a".utf8))
        await #expect(throws: WireError.streamFailed("it broke")) { _ = try await iterator.next() }

        // A stream whose connection ends before its end.
        let (lostClient, lostProducer) = try connected(window: 1 << 20)
        let lostAsking = Task { try await lostClient.exchange(.request, []) }
        let lostRequest = try await firstRequest(lostProducer)
        try lostProducer.connection.send(Frame(.streamStart, stream: lostRequest.stream, WireCodec.encode(RwResponse())))
        let lost = try await lostAsking.value
        lostProducer.connection.shutdown()
        var lostIterator = lostClient.body(of: lost.frame.stream, frames: try #require(lost.rest)).makeAsyncIterator()
        await #expect(throws: WireError.closed) { _ = try await lostIterator.next() }
    }

    @Test func aReaderThatGoesAwayCancelsTheProducer() async throws {
        let (client, producer) = try connected(window: 4)
        let asking = Task { try await client.exchange(.request, []) }
        let request = try await firstRequest(producer)
        let answering = Task { try await producer.answer(request.stream, pieces: Array(repeating: Array("12345678".utf8), count: 100)) }
        let answer = try await asking.value
        do {
            var iterator = client.body(of: answer.frame.stream, frames: try #require(answer.rest)).makeAsyncIterator()
            _ = try await iterator.next()
        }
        // The iteration was dropped: the producer is told, and stops waiting for credit.
        try await answering.value
        let cancelled = producer.cancelled.load(ordering: .sequentiallyConsistent)
        #expect(cancelled)
        #expect(producer.sent.load(ordering: .sequentiallyConsistent) < 100)
        #expect(client.openStreamCount == 0)
    }
}
