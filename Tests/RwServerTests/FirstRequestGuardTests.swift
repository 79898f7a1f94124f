import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import RwServer

/// A connection that may become a WebSocket, before its first request: the guard's state machine
/// alone, then the guard behind a real HTTP decoder in an embedded channel.
@Suite struct FirstRequestGuardTests {
    typealias StateMachine = FirstRequestGuard.StateMachine

    @Test func theFirstHeadHandsTheConnectionOn() {
        var state = StateMachine()
        #expect(state.readHead() == .stepAside)
        #expect(state.parseFailed() == .none, "a later parse error is the HTTP pipeline's")
        #expect(state.idleTimeoutPassed() == .none)
        #expect(state.quiesce() == .none)
    }

    @Test func beforeTheHeadEachFaultEndsTheConnectionOnce() {
        var refused = StateMachine()
        #expect(refused.parseFailed() == .refuse)
        #expect(refused.idleTimeoutPassed() == .none)
        var idle = StateMachine()
        #expect(idle.idleTimeoutPassed() == .close)
        #expect(idle.readHead() == .none)
        var quiescing = StateMachine()
        #expect(quiescing.quiesce() == .close)
        #expect(quiescing.parseFailed() == .none)
    }

    /// An embedded channel with the HTTP/1.1 codec and the guard, connected.
    static func channel(idleTimeout: TimeAmount?) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(HTTPResponseEncoder())
        try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
        try pipeline.addHandler(FirstRequestGuard(idleTimeout: idleTimeout))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
        return channel
    }

    /// Everything the channel wrote, as text.
    static func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { text += buffer.readString(length: buffer.readableBytes) ?? "" }
        return text
    }

    @Test func aMalformedFirstHeadGets400AndTheConnectionCloses() throws {
        let channel = try Self.channel(idleTimeout: .seconds(30))
        try? channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n"))
        let text = try Self.written(channel)
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(text)")
        #expect(text.lowercased().contains("connection: close"))
        #expect(!channel.isActive, "the connection closes after the 400")
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil, "nothing after the garbage is read")
    }

    @Test func aHeadThatNeverCompletesIsClosedWhenTheIdleTimeoutPasses() throws {
        let channel = try Self.channel(idleTimeout: .seconds(5))
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nX-Slow: "))
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try channel.writeInbound(ByteBuffer(string: "aaaa"))
        #expect(channel.isActive, "bytes of an unfinished head do not count as a request")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
        #expect(try Self.written(channel).isEmpty)
    }

    @Test func aCompleteHeadPassesOnAndTheGuardLeaves() throws {
        let channel = try Self.channel(idleTimeout: .seconds(5))
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"))
        guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("the head did not pass on")
            return
        }
        #expect(head.uri == "/a")
        #expect(throws: ChannelPipelineError.notFound) { try channel.pipeline.syncOperations.handler(type: FirstRequestGuard.self) }
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(channel.isActive, "after the head, the idle timeout is the HTTP pipeline's")
    }

    @Test func aShutdownClosesAConnectionThatSentNothing() throws {
        let channel = try Self.channel(idleTimeout: nil)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!channel.isActive)
    }
}
