import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A Unix domain stream socket with blocking I/O.
///
/// Blocking calls are meant for dedicated threads, never for a cooperative executor; ``send(_:)``
/// is the exception, as the peer always has a thread reading.
public final class UnixSocket: Sendable {
    /// The file descriptor; closed on deinit.
    public let fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { Glibc.close(fd) }

    /// Connects to the socket at `path`.
    public static func connect(to path: String) throws(WireError) -> UnixSocket {
        let socket = try UnixSocket(fd: open())
        let result = try withAddress(path) { Glibc.connect(socket.fd, $0, $1) }
        guard result == 0 else { throw .system("connect(\(path))", errno) }
        return socket
    }

    /// Creates a listening socket at `path`, replacing a stale file there; only this user may
    /// connect to it.
    public static func listen(at path: String) throws(WireError) -> UnixSocket {
        unlink(path)
        let socket = try UnixSocket(fd: open())
        let bound = try withAddress(path) { bind(socket.fd, $0, $1) }
        guard bound == 0 else { throw .system("bind(\(path))", errno) }
        guard chmod(path, 0o600) == 0 else { throw .system("chmod(\(path))", errno) }
        guard Glibc.listen(socket.fd, 16) == 0 else { throw .system("listen", errno) }
        return socket
    }

    /// Two connected sockets (`socketpair`).
    public static func pair() throws(WireError) -> (UnixSocket, UnixSocket) {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { throw .system("socketpair", errno) }
        return (UnixSocket(fd: fds[0]), UnixSocket(fd: fds[1]))
    }

    /// Waits for the next connection, checking `keepWaiting` every 100 ms; `nil` once it
    /// returns `false` before a connection came.
    public func accept(while keepWaiting: () -> Bool) throws(WireError) -> UnixSocket? {
        while keepWaiting() {
            guard try waitReadable(milliseconds: 100) else { continue }
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 { return UnixSocket(fd: client) }
            if errno != EINTR && errno != EAGAIN { throw .system("accept", errno) }
        }
        return nil
    }

    /// Whether bytes (or a connection, or the end of the stream) can be read within `milliseconds`.
    public func waitReadable(milliseconds: Int32) throws(WireError) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&entry, 1, milliseconds)
        if ready < 0 {
            if errno == EINTR { return false }
            throw .system("poll", errno)
        }
        return ready > 0
    }

    /// Writes all of `bytes`.
    public func send(_ bytes: [UInt8]) throws(WireError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .system("send", errno)
            }
            offset += written
        }
    }

    /// Sends one frame.
    public func send(_ frame: Frame) throws(WireError) {
        try send(frame.bytes)
    }

    /// Reads what has arrived, up to `buffer.count` bytes, waiting for at least one; 0 at the
    /// end of the stream, `nil` when the wait set with ``limitReceiveWait(milliseconds:)``
    /// passed first.
    public func receive(into buffer: inout [UInt8]) throws(WireError) -> Int? {
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if received >= 0 { return received }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            if errno == ECONNRESET { return 0 }
            throw .system("recv", errno)
        }
    }

    /// Makes each ``receive(into:)`` wait at most `milliseconds` for bytes.
    public func limitReceiveWait(milliseconds: Int32) throws(WireError) {
        var limit = timeval(tv_sec: Int(milliseconds / 1000), tv_usec: Int(milliseconds % 1000) * 1000)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw .system("setsockopt(SO_RCVTIMEO)", errno)
        }
    }

    /// Receives exactly one frame, reading no byte past it; `nil` when the peer closed the
    /// connection cleanly before one began.
    public func receive() throws(WireError) -> Frame? {
        var decoder = FrameDecoder()
        guard let header = try read(Frame.headerSize, allowEOF: true) else { return nil }
        decoder.append(header)
        if let frame = try decoder.next() { return frame }
        let length = Int(WireCodec.readUInt32(header, at: 5))
        decoder.append(try read(length, allowEOF: false) ?? [])
        guard let frame = try decoder.next() else { throw .closed }
        return frame
    }

    /// Ends both directions: a thread blocked reading sees the end of the stream.
    public func shutdown() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    private func read(_ count: Int, allowEOF: Bool) throws(WireError) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let received = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if received < 0 {
                if errno == EINTR { continue }
                throw .system("recv", errno)
            }
            if received == 0 {
                if offset == 0 && allowEOF { return nil }
                throw .closed
            }
            offset += received
        }
        return bytes
    }

    private static func open() throws(WireError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", errno) }
        return fd
    }

    /// Calls `body` with the socket address of `path` and its length.
    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) throws(WireError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw .malformed("socket path longer than \(capacity - 1) bytes: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}
