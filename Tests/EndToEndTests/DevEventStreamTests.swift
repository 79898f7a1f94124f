import Foundation
import Testing

/// `rw dev` with hundreds of browsers on `/_rw/events`, some of which never read. Part of the
/// serialized DevServerTests suite: it edits the one fixture copy.
extension DevServerTests {
    /// 200 reading clients and 100 that never read (a 4 KiB receive buffer). Eighteen failing
    /// builds, each error event about 32 KiB (the most an event carries), then a fix: every
    /// reading client hears every event, pages are served throughout, the front's memory stays
    /// bounded while the stalled clients fall behind, and every connection's socket is released
    /// once the clients go and the next event is written.
    @Test func hundredsOfEventStreamsSomeNeverReadingHoldUpNothing() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/") { $0 == "marker=v0" }
        let front = dev.child.process.processIdentifier
        let before = try await ProcessMetrics.settled(front)

        var readers = try (0..<200).map { _ in try EventStreamReader(port: dev.port) }
        var stalled = try (0..<100).map { _ in try StalledEventStream(port: dev.port) }
        for (index, reader) in readers.enumerated() {
            #expect(await reader.waitFor("event: hello") != nil, "reader \(index) was greeted")
        }

        // Each build fails with 400 errors: several times the most an event carries.
        let rounds = 18
        var largest = 0
        for round in 1...rounds {
            let broken = (0..<400).map { "let broken\(round)_\($0): Int = \"round \(round) error \($0)\"" }.joined(separator: "\n")
            try DevFixture.edit { $0 + "\n" + broken + "\n" }
            for (index, reader) in readers.enumerated() {
                // A cut error event ends with this line: waiting for it waits for the whole event.
                let stream = await reader.waitFor("more bytes in the terminal", occurrences: round)
                #expect(stream != nil, "reader \(index) heard error \(round), cut")
                if index == 0, let event = stream?.components(separatedBy: "event: error").last {
                    largest = max(largest, event.utf8.count)
                }
            }
            #expect(try await dev.http.send("GET", "/").text == "marker=v0", "round \(round): the last good generation serves")
        }
        #expect(largest > 30_000 && largest < 40_000, "an error event is about 32 KiB: \(largest) bytes")
        try DevFixture.setMarker("after-storm")
        try await dev.waitFor("/") { $0 == "marker=after-storm" }
        for (index, reader) in readers.enumerated() {
            #expect(await reader.waitFor("event: update") != nil, "reader \(index) heard the update")
        }

        // The stalled clients hold at most 16 unread events each (and what the sockets buffer).
        let during = try await ProcessMetrics.settled(front)
        let allowedKiB = 100 * 17 * 40 + 64 * 1024
        #expect(
            during.residentKiB <= before.residentKiB + allowedKiB,
            "front memory bounded with 100 stalled clients: \(before.residentKiB) → \(during.residentKiB) KiB")
        FileHandle.standardError.write(Data("[event streams] front \(before) → \(during)\n".utf8))

        // Gone browsers are let go of at the next write to them: the next event (or heartbeat).
        readers.removeAll()
        stalled.removeAll()
        try DevFixture.setMarker("after-clients")
        try await dev.waitFor("/") { $0 == "marker=after-clients" }
        var after = try await ProcessMetrics.settled(front)
        for _ in 0..<100 where after.sockets > before.sockets + 4 {
            try await Task.sleep(for: .milliseconds(100))
            after = try ProcessMetrics(front)
        }
        #expect(after.sockets <= before.sockets + 4, "every event stream's socket is released: \(before.sockets) → \(after.sockets)")
        await dev.stop()
    }
}

/// A connection to `/_rw/events` that sends its request and never reads, with a small receive
/// buffer, as a browser tab that stopped reading. Closed when released.
final class StalledEventStream: Sendable {
    private let fd: Int32

    init(port: Int) throws {
        fd = try connectToLoopback(port: port, receiveBuffer: 4096)
        let request = "GET /_rw/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    deinit { close(fd) }
}
