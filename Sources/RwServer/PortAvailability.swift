import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether a server can listen on a TCP port, and which process holds it when it cannot: the dev
/// server checks before it builds anything, and both servers name the holder when listening fails.
package enum PortAvailability {
    /// A process listening on a port.
    package struct Holder: Sendable, Equatable {
        /// Its process id.
        package let pid: Int32
        /// Its program name (the first command-line argument's last path component).
        package let name: String
    }

    /// Whether `port` on `host` cannot be bound now (`false` for port 0, or when `host` does not
    /// resolve: listening reports that itself). It binds the address `host` resolves to first,
    /// as the server will, and closes it at once.
    package static func isInUse(host: String, port: Int) -> Bool {
        guard port > 0, port < 65536 else { return false }
        return bindFails(host: host, port: port)
    }

    /// One line naming the port and, when /proc tells, the process listening on it.
    package static func inUseMessage(host: String, port: Int) -> String {
        let holders = listeners(port: port)
        let by = holders.isEmpty ? "" : " by " + holders.map { "pid \($0.pid) (\($0.name))" }.joined(separator: ", ")
        return "port \(port) on \(host) is already in use\(by); stop it or pick another port with --port (0 picks a free one)"
    }

    /// The processes this user can see listening on TCP `port` (any address, IPv4 or IPv6),
    /// found from the listening sockets' inodes in /proc/net/tcp{,6} and the links in /proc/*/fd.
    package static func listeners(port: Int) -> [Holder] {
        let inodes = listeningInodes(port: port)
        guard !inodes.isEmpty, let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var holders: [Holder] = []
        for pid in pids.compactMap(Int32.init).sorted() {
            let fdDirectory = "/proc/\(pid)/fd"
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { continue }
            let holds = fds.contains { fd in
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"),
                    target.hasPrefix("socket:[")
                else { return false }
                return inodes.contains(String(target.dropFirst("socket:[".count).dropLast()))
            }
            if holds { holders.append(Holder(pid: pid, name: programName(pid))) }
        }
        return holders
    }

    private static func bindFails(host: String, port: Int) -> Bool {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let address = result else { return false }
        defer { freeaddrinfo(result) }
        let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        return bind(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 && errno == EADDRINUSE
    }

    /// Inodes of the listening sockets on `port`, from /proc/net/tcp and /proc/net/tcp6.
    private static func listeningInodes(port: Int) -> Set<String> {
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = readWhole(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9, fields[3] == "0A",
                    let portHex = fields[1].split(separator: ":").last, Int(portHex, radix: 16) == port
                else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        inodes.remove("0")
        return inodes
    }

    /// The whole of a /proc file. They report a size of 0, so read until end of file rather than
    /// trusting the size (a busy machine's /proc/net/tcp spans many pages).
    private static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func programName(_ pid: Int32) -> String {
        if let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
            let first = data.split(separator: 0).first, !first.isEmpty
        {
            return (String(decoding: first, as: UTF8.self) as NSString).lastPathComponent
        }
        let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "?"
        return comm.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
