import Foundation
import RwState
import RwWire
import Testing

/// Sockets relayed between the front's client and a runner-like peer on a socket pair: a
/// message's wire encoding, a socket's frames arriving as a stream that ends at the runner's
/// close, the front's close reaching the runner, and a lost runner ending the stream without one.
@Suite(.timeLimit(.minutes(2))) struct SocketStreamTests {
    @Test func messagesKeepTheirKindAndBytes() throws {
        for message in [SocketMessage.text("héllo"), .text(""), .binary([0, 1, 255])] {
            #expect(try SocketMessage(wireBytes: message.wireBytes) == message)
        }
        #expect(throws: WireError.self) { try SocketMessage(wireBytes: [7, 1]) }
        #expect(throws: WireError.self) { try SocketMessage(wireBytes: []) }
        #expect(throws: WireError.self, "text that is not UTF-8") { try SocketMessage(wireBytes: [0, 0xFF, 0xFE]) }
    }

    /// The runner's side of one socket: the frames it receives, in order.
    static func runner(_ connection: FrameConnection) -> AsyncStream<Frame> {
        let (frames, sink) = AsyncStream.makeStream(of: Frame.self)
        Thread {
            _ = connection.read { frame, _ in sink.yield(frame) }
            sink.finish()
        }.start()
        return frames
    }

    @Test func aSocketsFramesFollowItsOpeningUntilTheRunnerClosesIt() async throws {
        let (front, runnerSocket) = try UnixSocket.pair()
        let client = MultiplexedClient(FrameConnection(front))
        client.start(onEvent: { _ in }, onEnd: { _ in })
        let runner = FrameConnection(runnerSocket)
        var received = Self.runner(runner).makeAsyncIterator()

        async let opened = client.exchange(.socketOpen, WireCodec.encode(RwRequest(method: "GET", target: "/_rw/socket")), timeout: .seconds(30))
        let open = try #require(await received.next(), "the runner got no socketOpen")
        #expect(open.kind == .socketOpen)
        try runner.send(Frame(.socketOpened, stream: open.stream))
        let answer = try await opened
        var frames = try #require(answer.rest, "an opened socket has a stream of frames").makeAsyncIterator()

        try client.send(Frame(.socketMessage, stream: open.stream, SocketMessage.text("in").wireBytes))
        let inbound = try #require(await received.next())
        #expect(inbound.kind == .socketMessage)
        #expect(try SocketMessage(wireBytes: inbound.payload) == .text("in"))

        try runner.send(Frame(.socketMessage, stream: open.stream, SocketMessage.text("out").wireBytes))
        try runner.send(Frame(.socketClose, stream: open.stream, json: SocketClosing(.slowSubscriber)))
        let message = try #require(await frames.next())
        #expect(try SocketMessage(wireBytes: message.payload) == .text("out"))
        let close = try #require(await frames.next())
        #expect(try close.decode(SocketClosing.self) == SocketClosing(.slowSubscriber))
        #expect(await frames.next() == nil, "the socket's stream ends at its close")
        #expect(client.openStreamCount == 0)
    }

    @Test func theFrontsCloseReachesTheRunnerAndALostRunnerEndsTheStream() async throws {
        let (front, runnerSocket) = try UnixSocket.pair()
        let client = MultiplexedClient(FrameConnection(front))
        client.start(onEvent: { _ in }, onEnd: { _ in })
        let runner = FrameConnection(runnerSocket)
        var received = Self.runner(runner).makeAsyncIterator()

        // Two sockets: the front closes the first; the runner's connection ends under the second.
        var streams: [UInt32: AsyncStream<Frame>] = [:]
        for _ in 0..<2 {
            async let opened = client.exchange(.socketOpen, WireCodec.encode(RwRequest(method: "GET", target: "/_rw/socket")), timeout: .seconds(30))
            let open = try #require(await received.next())
            try runner.send(Frame(.socketOpened, stream: open.stream))
            streams[open.stream] = try #require(try await opened.rest)
        }
        let (first, second) = (streams.keys.min()!, streams.keys.max()!)
        client.endStream(first, sending: Frame(.socketClose, stream: first, json: SocketClosing(.normal)))
        let close = try #require(await received.next(), "the runner got no socketClose")
        #expect(close.kind == .socketClose && close.stream == first)
        var firstFrames = streams[first]!.makeAsyncIterator()
        #expect(await firstFrames.next() == nil, "the front's close ends the socket's stream")

        runner.shutdown()
        var secondFrames = streams[second]!.makeAsyncIterator()
        #expect(await secondFrames.next() == nil, "a lost runner ends the stream, with no close frame")
    }
}
