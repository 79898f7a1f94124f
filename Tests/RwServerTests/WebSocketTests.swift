import Foundation
import Testing

/// The production server's WebSockets on the wire, with raw sockets against the fault server's
/// `room:*` channel: the upgrade's origin check, a join and a broadcast, and a subscriber that
/// stops reading.
@Suite(.timeLimit(.minutes(2))) struct WebSocketTests {
    static func upgrade(origin: String, port: Int) -> String {
        "GET /_rw/socket HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nOrigin: \(origin)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }

    /// A client's text frame (masked, as RFC 6455 requires of clients).
    static func textFrame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }

    /// A connection upgraded to the channel socket that joined `topic`.
    static func joined(_ topic: String, port: Int) async throws -> RawConnection {
        let connection = try RawConnection(port: port)
        #expect(await connection.send(upgrade(origin: "http://127.0.0.1:\(port)", port: port)))
        let head = try #require(await connection.readResponse(toHead: true).response, "no answer to the upgrade")
        #expect(head.status == 101)
        #expect(await connection.send(textFrame(#"{"type":"join","topic":"\#(topic)","ref":1}"#)))
        #expect(await connection.read(until: #""type":"joined""#), "no joined frame")
        return connection
    }

    @Test func aCrossOriginUpgradeIsRefused() async throws {
        try await FaultServer.with { server in
            let connection = try RawConnection(port: server.port)
            #expect(await connection.send(Self.upgrade(origin: "https://evil.example", port: server.port)))
            let response = try #require(await connection.readResponse().response, "no answer to the upgrade")
            // hummingbird-websocket answers every refused upgrade with 400; no socket opens.
            #expect(response.status == 400)
            #expect(response.header("Upgrade") == nil)
        }
    }

    @Test func aMessageIsBroadcastToEveryJoinedSocket() async throws {
        try await FaultServer.with { server in
            let sender = try await Self.joined("room:chat", port: server.port)
            let other = try await Self.joined("room:chat", port: server.port)
            #expect(await sender.send(Self.textFrame(#"{"type":"message","topic":"room:chat","data":"hello there"}"#)))
            #expect(await other.read(until: #""data":"hello there""#), "the other socket did not get the broadcast")
            #expect(await sender.read(until: #""data":"hello there""#), "the sender did not get the broadcast")
        }
    }

    /// SIGTERM closes a joined socket with 1001 (going away), not the WebSocket library's 1000,
    /// before the HTTP server stops; once the client answers the close the server exits cleanly.
    @Test func sigtermClosesSocketsWithGoingAwayThenExitsCleanly() async throws {
        let server = try await FaultServer.start()
        let socket = try await Self.joined("room:bye", port: server.port)
        kill(server.pid, SIGTERM)
        // A close frame (FIN, opcode 8) of two bytes: the code 1001.
        let goingAway: [UInt8] = [0x88, 0x02, 0x03, 0xE9]
        let closed = await socket.read(untilBytes: goingAway, timeout: .seconds(10))
        #expect(closed, "no close frame with 1001 within 10 s of SIGTERM; received \(socket.unread.suffix(16))")
        // The client's answer, masked as a client's frames are.
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        #expect(await socket.send([0x88, 0x82] + mask + [0x03 ^ mask[0], 0xE9 ^ mask[1]]))
        #expect(await socket.waitForClose(timeout: .seconds(10)), "the socket's connection stayed open after the close handshake")
        #expect(await server.stop() == 0, "the server should exit cleanly after closing its sockets")
    }

    @Test func aSubscriberThatStopsReadingIsClosedAndTheServersMemoryStaysBounded() async throws {
        try await FaultServer.with { server in
            let slow = try await Self.joined("room:flood", port: server.port)
            let before = try #require(server.residentMemory())
            // 48 MiB broadcast to a socket that reads nothing.
            let flood = try await server.request("GET", "/flood/room:flood/3000")
            #expect(flood.status == 200)
            #expect(Int(flood.text) ?? 3000 < 3000, "every message was queued: \(flood.text)")
            let after = try #require(server.residentMemory())
            #expect(after - before < 24 << 20, "the server grew by \((after - before) >> 20) MiB")
            #expect(await slow.waitForClose(timeout: .seconds(20)), "the slow subscriber's socket stayed open")
            try await server.expectServing()
        }
    }
}
