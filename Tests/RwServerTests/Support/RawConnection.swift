import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1 over POSIX sockets, for sending bytes no HTTP client
/// would send (malformed request lines, header floods, a request one byte at a time) and reading
/// what comes back. Each blocking call runs on a thread of its own, never on the test's task pool
/// (nor on Dispatch's, whose limited threads many blocked sends could use up).
final class RawConnection: @unchecked Sendable {
    private let fd: Int32
    // Read only by one read at a time; sending never touches it, so a send and a read may overlap.
    private var buffer: [UInt8] = []

    /// Connects to `port` on 127.0.0.1.
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(operation: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SocketError(operation: "connect", code: code)
        }
        // A send the server does not read for 60 s fails (EAGAIN) instead of blocking forever.
        var bound = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &bound, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    /// Sends all of `bytes`; `false` when the peer closed or reset the connection first, or read
    /// nothing for 60 s.
    @discardableResult
    func send(_ bytes: [UInt8]) async -> Bool {
        await onThread {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if sent < 0, errno == EINTR { continue }
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    /// Sends `text` as UTF-8.
    @discardableResult
    func send(_ text: String) async -> Bool { await send(Array(text.utf8)) }

    /// Sends `size` bytes of filler body, raw or in 64 KiB chunks of the chunked transfer coding
    /// (then the last chunk); returns how many body bytes went out before the server closed.
    func sendFiller(size: Int, chunked: Bool) async -> Int {
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 65536)
        var sent = 0
        while sent < size {
            let count = min(piece.count, size - sent)
            let bytes = chunked ? Array(String(count, radix: 16).utf8) + [13, 10] + piece[..<count] + [13, 10] : Array(piece[..<count])
            guard await send(bytes) else { return sent }
            sent += count
        }
        if chunked { await send("0\r\n\r\n") }
        return sent
    }

    /// Whether the server has neither closed nor reset the connection, as far as has arrived so
    /// far (looks without waiting and without consuming anything the server sent).
    var isOpen: Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) > 0 else { return true }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0
    }

    /// Shuts down both directions: a blocked send or read returns at once.
    func abort() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Shuts down the sending side, telling the server no more bytes will come.
    func finishSending() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads one HTTP/1.1 response (head plus a `Content-Length` or chunked body). Returns
    /// `.closed` when the server closed (or reset) the connection before a whole response arrived,
    /// `.timedOut` when nothing conclusive came within `timeout`. `toHead`: the request was HEAD.
    func readResponse(timeout: Duration = .seconds(10), toHead: Bool = false) async -> ReadOutcome {
        await onThread {
            let deadline = ContinuousClock.now + timeout
            while true {
                if let response = RawResponse.parse(&self.buffer, toHead: toHead) { return .response(response) }
                switch self.readMore(until: deadline) {
                case .data: continue
                case .closed: return .closed(received: self.buffer)
                case .timedOut: return .timedOut
                }
            }
        }
    }

    /// Reads until what has arrived (and not been consumed by ``readResponse(timeout:toHead:)``)
    /// contains `marker`, keeping it all; `false` when the connection closed or `timeout` passed
    /// first.
    func read(until marker: String, timeout: Duration = .seconds(10)) async -> Bool {
        await read(untilBytes: Array(marker.utf8), timeout: timeout)
    }

    /// ``read(until:timeout:)`` for a marker of any bytes.
    func read(untilBytes needle: [UInt8], timeout: Duration = .seconds(10)) async -> Bool {
        await onThread {
            let deadline = ContinuousClock.now + timeout
            while true {
                if RawResponse.find(needle, in: self.buffer, from: 0) != nil { return true }
                switch self.readMore(until: deadline) {
                case .data: continue
                case .closed, .timedOut: return false
                }
            }
        }
    }

    /// What has arrived and not been consumed yet.
    var unread: [UInt8] { buffer }

    /// Waits until the server closes the connection, discarding whatever it sends; `false` when
    /// it is still open after `timeout`.
    func waitForClose(timeout: Duration) async -> Bool {
        await onThread {
            let deadline = ContinuousClock.now + timeout
            while true {
                switch self.readMore(until: deadline) {
                case .data: self.buffer.removeAll(keepingCapacity: true)
                case .closed: return true
                case .timedOut: return false
                }
            }
        }
    }

    private enum ReadResult { case data, closed, timedOut }

    private func readMore(until deadline: ContinuousClock.Instant) -> ReadResult {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return .timedOut }
        let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(clamping: max(1, milliseconds)))
        if ready < 0, errno == EINTR { return .data }
        guard ready > 0 else { return .timedOut }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0, errno == EINTR { return .data }
        guard count > 0 else { return .closed }  // 0: orderly close; < 0: reset
        buffer.append(contentsOf: chunk[..<count])
        return .data
    }

    private func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}

/// What reading a response gave.
enum ReadOutcome: Sendable {
    /// A whole response.
    case response(RawResponse)
    /// The server closed the connection first; `received` is what it sent before.
    case closed(received: [UInt8])
    /// Nothing conclusive in time.
    case timedOut

    /// The response, if one came.
    var response: RawResponse? {
        if case .response(let response) = self { return response }
        return nil
    }
}

/// A socket call failed.
struct SocketError: Error, CustomStringConvertible {
    let operation: String
    let code: Int32
    var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}
