import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A connected Unix domain stream socket carrying ``Frame``s with blocking I/O.
///
/// Blocking calls are meant for dedicated threads, never for a cooperative executor.
public final class UnixSocket: @unchecked Sendable {
    /// The file descriptor; closed by ``close()`` or on deinit.
    public let fd: Int32
    private var isClosed = false

    init(fd: Int32) { self.fd = fd }

    deinit { close() }

    /// Connects to the socket at `path`.
    public static func connect(to path: String) throws -> UnixSocket {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WireError.system("socket", errno) }
        let socket = UnixSocket(fd: fd)
        let result = try Self.withAddress(path) { Glibc.connect(fd, $0, $1) }
        guard result == 0 else { throw WireError.system("connect(\(path))", errno) }
        return socket
    }

    /// Creates a listening socket at `path`, replacing a stale file there.
    public static func listen(at path: String) throws -> UnixSocket {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WireError.system("socket", errno) }
        let socket = UnixSocket(fd: fd)
        let bound = try Self.withAddress(path) { bind(fd, $0, $1) }
        guard bound == 0 else { throw WireError.system("bind(\(path))", errno) }
        guard Glibc.listen(fd, 512) == 0 else { throw WireError.system("listen", errno) }
        return socket
    }

    /// Waits for and returns the next connection.
    public func accept() throws -> UnixSocket {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 { return UnixSocket(fd: client) }
            if errno != EINTR { throw WireError.system("accept", errno) }
        }
    }

    /// Sends one frame.
    public func send(_ frame: Frame) throws {
        var bytes: [UInt8] = [frame.kind.rawValue]
        WireCodec.appendLength(frame.payload.count, to: &bytes)
        bytes += frame.payload
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WireError.system("send", errno)
                }
                offset += written
            }
        }
    }

    /// Makes receiving fail with ``WireError/timedOut`` once nothing has arrived for `timeout`.
    public func setReceiveTimeout(_ timeout: Duration) {
        let seconds = max(timeout.seconds, 0.001)
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Receives one frame; `nil` when the peer closed the connection cleanly before one began.
    public func receive() throws -> Frame? {
        guard let header = try read(5, allowEOF: true) else { return nil }
        guard let kind = Frame.Kind(rawValue: header[0]) else { throw WireError.malformed("unknown kind \(header[0])") }
        let length = WireCodec.readLength(header[1..<5])
        guard length <= Frame.maxPayload else { throw WireError.malformed("payload of \(length) bytes") }
        let payload = length == 0 ? [] : try read(length, allowEOF: false) ?? []
        return Frame(kind, payload)
    }

    /// Sends `frame` and waits for the reply.
    public func exchange(_ frame: Frame) throws -> Frame {
        try send(frame)
        guard let reply = try receive() else { throw WireError.closed }
        return reply
    }

    /// Closes the socket; later calls do nothing.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    private func read(_ count: Int, allowEOF: Bool) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let received = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if received < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw WireError.timedOut }
                throw WireError.system("recv", errno)
            }
            if received == 0 {
                if offset == 0 && allowEOF { return nil }
                throw WireError.closed
            }
            offset += received
        }
        return bytes
    }

    /// Calls `body` with the socket address of `path` and its length.
    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) throws -> Int32 {
        var address = try Self.address(path)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    private static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw WireError.malformed("socket path longer than \(capacity - 1) bytes: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}
