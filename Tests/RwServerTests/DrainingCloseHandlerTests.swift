import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import RwServer

/// When a connection of a server shutting down closes: its state machine alone, then the handler
/// in a channel whose writes complete only when flushed (as a large body still queued would).
@Suite struct DrainingCloseHandlerTests {
    typealias StateMachine = DrainingCloseHandler.StateMachine

    @Test func anIdleConnectionClosesAtOnce() {
        var state = StateMachine()
        #expect(state.quiesce() == .close)
    }

    @Test func aPendingRequestDefersTheCloseUntilItsResponseEndIsWritten() {
        var state = StateMachine()
        state.readRequestHead()
        state.readRequestHead()  // pipelined
        #expect(state.wroteResponseEnd() == .none)
        #expect(state.quiesce() == .closeAtTheLatestWhenTheBoundPasses)
        #expect(state.quiesce() == .none, "a second quiesce event changes nothing")
        #expect(state.wroteResponseEnd() == .close)
    }

    @Test func responsesWithoutARequestHeadCountNothingAway() {
        var state = StateMachine()
        #expect(state.wroteResponseEnd() == .none)  // a 400 for an unparsable head
        state.readRequestHead()
        #expect(state.quiesce() == .closeAtTheLatestWhenTheBoundPasses)
        #expect(state.wroteResponseEnd() == .close)
    }

    @Test func beforeAQuiesceNothingCloses() {
        var state = StateMachine()
        state.readRequestHead()
        #expect(state.wroteResponseEnd() == .none)
        state.readRequestHead()
        #expect(state.wroteResponseEnd() == .none)
    }

    /// A channel with the handler, connected, that has read one request head.
    static func channelWithARequest(bound: TimeAmount = .seconds(10)) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: DrainingCloseHandler(bound: bound))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "x", path: "/")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        return channel
    }

    @Test func theHandlerClosesOnlyOnceTheResponseEndIsWritten() throws {
        let channel = try Self.channelWithARequest()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(channel.isActive, "closed with a response pending")
        channel.write(HTTPResponsePart.head(HTTPResponse(status: .ok)), promise: nil)
        channel.write(HTTPResponsePart.body(ByteBuffer(string: "body")), promise: nil)
        let end = channel.eventLoop.makePromise(of: Void.self)
        channel.write(HTTPResponsePart.end(nil), promise: end)
        #expect(channel.isActive, "closed when the response's end was passed on, before it was written")
        channel.flush()
        #expect(!channel.isActive, "still open after the response was written")
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .head(HTTPResponse(status: .ok)))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .body(ByteBuffer(string: "body")))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .end(nil))
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }

    @Test func theHandlerClosesAnIdleConnectionAtOnceAndKeepsTheEvent() throws {
        let recorder = EventRecorder()
        let channel = EmbeddedChannel(handlers: [DrainingCloseHandler(), recorder])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!channel.isActive)
        #expect(recorder.quiesceEvents == 0, "the quiesce event went on to the handlers after it")
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }

    @Test func theHandlerClosesWhenTheBoundPassesWithTheResponseUnwritten() throws {
        let channel = try Self.channelWithARequest(bound: .seconds(10))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.write(HTTPResponsePart.end(nil), promise: nil)  // never flushed: a client that never reads
        channel.embeddedEventLoop.advanceTime(by: .seconds(10) - .nanoseconds(1))
        #expect(channel.isActive, "closed before the bound")
        channel.embeddedEventLoop.advanceTime(by: .nanoseconds(1))
        #expect(!channel.isActive, "still open when the bound passed")
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }

    /// Counts the quiesce events that reach it.
    final class EventRecorder: ChannelInboundHandler {
        typealias InboundIn = HTTPRequestPart
        var quiesceEvents = 0
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is ChannelShouldQuiesceEvent { quiesceEvents += 1 }
            context.fireUserInboundEventTriggered(event)
        }
    }
}
