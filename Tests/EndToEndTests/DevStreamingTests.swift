import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Streamed pages through `rw dev`'s runner, read with a raw socket: the first part reaches the
/// client while the awaited part still waits (on a signal the test sends), the page arrives in
/// several chunks with the live-reload script, and a failure after the first byte shows the
/// overlay and leaves the response without its last chunk. Also the front's HTTP assembly, which
/// is production's.
extension DevServerTests {
    @Test func streamedPagesGoThroughTheRunnerInChunksAndTheFrontIsProductionsAssembly() async throws {
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/") { $0 == "marker=v0" }

        let page = try RawReader(port: dev.port, request: "GET /stream/ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(page.read(until: "before the wait"), "the part before the Await did not arrive while it waited")
        #expect(!page.text.contains("after the wait"))
        try await dev.waitForStateKey("stream.open.ok")
        #expect(try await dev.http.send("GET", "/open-stream/ok").text == "opened")
        #expect(page.readToClose())
        let chunks = try #require(Chunked.decode(page.received), "not a complete chunked response: \(page.text)")
        #expect(chunks.count > 1, "one chunk: the page was not streamed")
        let body = String(decoding: chunks.joined(), as: UTF8.self)
        #expect(body.contains("<h1>before the wait</h1>"))
        #expect(body.contains("<p>after the wait</p></main>"))
        #expect(body.contains(#"<script type="module" src="/_rw/live.js"></script>"#))

        let failing = try RawReader(port: dev.port, request: "GET /stream/bad?fail HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(failing.read(until: "before the wait"))
        try await dev.waitForStateKey("stream.open.bad")
        _ = try await dev.http.send("GET", "/open-stream/bad")
        #expect(failing.readToClose())
        #expect(Chunked.decode(failing.received) == nil, "a failed stream must not end like a complete response")
        #expect(failing.text.contains("data-rw-stream-error"))
        #expect(failing.text.contains("rwLiveReload?.showOverlay("), "no overlay for the failure")
        #expect(failing.text.contains("the awaited part failed"), "the overlay says what failed")

        // The runner serves on: nothing of the streams is left behind.
        #expect(try await dev.http.send("GET", "/").text == "marker=v0")

        // The front is the production server's assembly (one dev start serves both checks): an
        // oversized body gets 413 and the connection closes instead of reading the body; the
        // app's error handler shapes the answer, as in production.
        let oversized = try RawReader(
            port: dev.port, request: "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(3 << 20)\r\n\r\n")
        #expect(oversized.readToClose(), "the connection stayed open after the 413")
        #expect(oversized.text.hasPrefix("HTTP/1.1 413"))
        #expect(oversized.text.contains("DevApp refuses: Request body larger than"), "\(oversized.text.prefix(400))")
        await dev.stop()
    }
}

/// One request on a raw socket, and what comes back, read with bounded waits.
private final class RawReader {
    private let fd: Int32
    private(set) var received: [UInt8] = []

    init(port: Int, request: String) throws {
        fd = try connectToLoopback(port: port)
        let bytes = Array(request.utf8)
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw POSIXError(.EPIPE) }
    }

    deinit { close(fd) }

    var text: String { String(decoding: received, as: UTF8.self) }

    /// Reads until `marker` has arrived; `false` at close or after 60 s.
    func read(until marker: String) -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !text.contains(marker) {
            guard readMore(until: deadline) else { return false }
        }
        return true
    }

    /// Reads until the server closes; `false` after 60 s.
    func readToClose() -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return false }
            guard poll(&descriptor, 1, Int32(remaining.components.seconds * 1000 + 1)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return true }
            received += chunk[..<count]
        }
    }

    private func readMore(until deadline: ContinuousClock.Instant) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while ContinuousClock.now < deadline {
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            received += chunk[..<count]
            return true
        }
        return false
    }
}

/// The chunked transfer coding, strictly.
private enum Chunked {
    /// The chunks of a whole response (head, chunks, last chunk, nothing after); `nil` when it
    /// is not chunked or not complete.
    static func decode(_ response: [UInt8]) -> [[UInt8]]? {
        let text = response
        guard let headEnd = find([13, 10, 13, 10], in: text, from: 0) else { return nil }
        let head = String(decoding: text[..<headEnd], as: UTF8.self).lowercased()
        guard head.contains("transfer-encoding: chunked") else { return nil }
        var chunks: [[UInt8]] = []
        var index = headEnd + 4
        while true {
            guard let lineEnd = find([13, 10], in: text, from: index),
                let size = Int(String(decoding: text[index..<lineEnd], as: UTF8.self), radix: 16)
            else { return nil }
            index = lineEnd + 2
            if size == 0 { return text.count == index + 2 && text[index] == 13 && text[index + 1] == 10 ? chunks : nil }
            guard text.count >= index + size + 2 else { return nil }
            chunks.append(Array(text[index..<index + size]))
            index += size + 2
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index...].starts(with: needle) { return index }
        return nil
    }
}
