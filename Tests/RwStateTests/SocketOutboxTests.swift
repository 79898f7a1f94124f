import Testing

@testable import RwState

@Suite struct SocketOutboxTests {
    @Test func messagesLeaveInOrderWithinTheBounds() {
        var outbox = SocketOutbox(maxMessages: 2, maxBytes: 100)
        #expect(outbox.next() == .wait)
        #expect(outbox.enqueue(.text("a")) == .queued)
        #expect(outbox.enqueue(.binary([1, 2])) == .queued)
        #expect(outbox.queuedBytes == 3)
        #expect(outbox.next() == .write(.text("a")))
        #expect(outbox.next() == .write(.binary([1, 2])))
        #expect(outbox.next() == .wait)
        #expect(outbox.queuedBytes == 0)
    }

    @Test func goingOverEitherBoundClosesAsASlowSubscriberAndDropsTheQueue() {
        var byCount = SocketOutbox(maxMessages: 2, maxBytes: 100)
        _ = byCount.enqueue(.text("a"))
        _ = byCount.enqueue(.text("b"))
        #expect(byCount.enqueue(.text("c")) == .overflow)
        #expect(byCount.count == 0)
        #expect(byCount.next() == .close(.slowSubscriber))
        #expect(byCount.enqueue(.text("d")) == .closed)

        var byBytes = SocketOutbox(maxMessages: 10, maxBytes: 4)
        #expect(byBytes.enqueue(.text("abc")) == .queued)
        #expect(byBytes.enqueue(.text("de")) == .overflow)
        #expect(byBytes.closeCode == .slowSubscriber)
    }

    @Test func theFirstCloseCodeWins() {
        var outbox = SocketOutbox(maxMessages: 2, maxBytes: 100)
        _ = outbox.enqueue(.text("a"))
        outbox.close(.serviceRestart)
        outbox.close(.normal)
        #expect(outbox.next() == .close(.serviceRestart))
    }

    @Test func aWaitingWriterIsHandedTheNextMessageAndTheClose() async {
        let peer = SocketPeer(info: RequestInfo(request: RwRequest(method: "GET", target: "/")), maxQueuedMessages: 4, maxQueuedBytes: 100)
        async let first = peer.next()
        // The writer may or may not be waiting yet; either way it gets the message.
        #expect(peer.send(.text("hi")))
        #expect(await first == .write(.text("hi")))
        async let closed = peer.closed()
        peer.close(.goingAway)
        #expect(await closed == .goingAway)
        #expect(await peer.next() == .close(.goingAway))
        #expect(!peer.send(.text("late")))
    }
}
