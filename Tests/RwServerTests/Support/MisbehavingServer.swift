import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A deliberately broken HTTP server on 127.0.0.1, in the test process: the faults the checks of
/// ``FaultServer`` must catch. Kept as tests (`FaultCheckTests`) the way
/// ``ReferenceRouteMatcher`` is kept for the route fuzzing: every check that passes against the
/// real server is shown to fail against the matching misbehaviour.
final class MisbehavingServer: @unchecked Sendable {
    /// What the server does with each connection.
    enum Behaviour: Sendable {
        /// Reads the request head, then closes without a word.
        case dropsWithoutAnswer
        /// Reads the request head and never answers nor closes.
        case hangs
        /// Answers every request head with `status` (`Connection: close` when `saysClose`), and
        /// keeps the connection open and answering.
        case answersAndStaysOpen(status: Int, saysClose: Bool)
        /// Answers the first request head with 400 and `Connection: close`, then serves the
        /// next request on the same connection with 200 anyway.
        case servesAfterRefusing
    }

    /// The port it listens on.
    let port: Int
    private let listener: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var stopped = false

    /// Listens on a free port and serves every connection on a thread of its own.
    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(operation: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            Glibc.close(fd)
            throw SocketError(operation: "bind", code: code)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { self.acceptLoop() }.start()
    }

    /// Stops accepting and closes every connection.
    func stop() {
        let open = lock.withLock {
            stopped = true
            defer { connections = [] }
            return connections
        }
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit { Glibc.close(listener) }

    /// Runs `body` against a server behaving as `behaviour`, then stops it.
    static func with<T>(_ behaviour: Behaviour, _ body: (MisbehavingServer) async throws -> T) async throws -> T {
        let server = try MisbehavingServer(behaviour)
        defer { server.stop() }
        return try await body(server)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let keep = lock.withLock { () -> Bool in
                if !stopped { connections.append(fd) }
                return !stopped
            }
            guard keep else {
                Glibc.close(fd)
                return
            }
            Thread { self.serve(fd) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.withLock { connections.removeAll { $0 == fd } }
            Glibc.close(fd)
        }
        var buffer: [UInt8] = []
        var answered = 0
        while let head = readHead(fd, &buffer) {
            _ = head
            switch behaviour {
            case .dropsWithoutAnswer:
                return
            case .hangs:
                continue
            case .answersAndStaysOpen(let status, let saysClose):
                write(fd, status: status, close: saysClose)
            case .servesAfterRefusing:
                write(fd, status: answered == 0 ? 400 : 200, close: answered == 0)
            }
            answered += 1
        }
    }

    /// Reads until a blank line ends a request head (or, for bytes that never form one, until
    /// 512 bytes came); `nil` once the peer is gone.
    private func readHead(_ fd: Int32, _ buffer: inout [UInt8]) -> [UInt8]? {
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer) {
                let head = Array(buffer[..<(end + 4)])
                buffer.removeFirst(end + 4)
                return head
            }
            if buffer.count >= 512 {
                defer { buffer.removeAll() }
                return buffer
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }

    private func write(_ fd: Int32, status: Int, close: Bool) {
        let body = "misbehaving \(status)"
        let response = Array(
            "HTTP/1.1 \(status) Whatever\r\nContent-Length: \(body.utf8.count)\r\n\(close ? "Connection: close\r\n" : "")\r\n\(body)".utf8)
        _ = response.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
