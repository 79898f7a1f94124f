import RwState
import Testing

/// The hub's shutdown half alone: closing every socket, and waiting until they are gone.
@Suite(.timeLimit(.minutes(1))) struct SocketHubTests {
    static func peer() -> SocketPeer { SocketPeer(info: RequestInfo(request: RwRequest(method: "GET", target: "/"))) }

    @Test func closeAllAsksEverySocketToCloseAndAllClosedReturnsOnceTheLastIsRemoved() async {
        let hub = SocketHub()
        let (first, second) = (Self.peer(), Self.peer())
        hub.add(first)
        hub.add(second)
        hub.subscribe(first, to: "room:a")
        #expect(hub.closeAll(.goingAway) == 2)
        #expect(first.closeCode == .goingAway && second.closeCode == .goingAway)

        let (ended, endedContinuation) = AsyncStream.makeStream(of: Void.self)
        let waiter = Task {
            await hub.allClosed()
            endedContinuation.yield()
        }
        hub.remove(first)
        hub.remove(second)
        var iterator = ended.makeAsyncIterator()
        #expect(await iterator.next() != nil, "allClosed returned once both sockets were removed")
        await waiter.value
        #expect(hub.socketCount == 0)
        // With nothing open, it returns at once.
        await hub.allClosed()
    }

    @Test func allClosedReturnsWhenItsTaskIsCancelled() async {
        let hub = SocketHub()
        hub.add(Self.peer())
        let waiter = Task { await hub.allClosed() }
        waiter.cancel()
        await waiter.value
        #expect(hub.socketCount == 1, "the socket is still open; the wait ended by cancellation")
    }
}
