import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster from Debian's `postgresql` package: `initdb` in a temporary
/// folder, a server listening on 127.0.0.1 at a free port and on a Unix socket in that folder,
/// stopped and deleted by ``stop()``. As root, the server runs as the `postgres` user
/// (PostgreSQL refuses to run as root).
public final class PostgresCluster: Sendable {
    /// The folder holding the cluster's data, log and Unix socket.
    public let folder: URL
    /// The TCP port the server listens on (127.0.0.1).
    public let port: Int
    /// The superuser, owner of the database `rw`.
    public let user = "rw"

    /// The cluster's `DATABASE_URL` over TCP, for the database `rw`.
    public var url: String { "postgres://rw:secret@127.0.0.1:\(port)/rw" }

    private init(folder: URL, port: Int) {
        self.folder = folder
        self.port = port
    }

    /// The folder holding `pg_ctl`, or `nil` when PostgreSQL is not installed.
    public static let binaries: URL? = {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
            .map { root.appendingPathComponent($0).appendingPathComponent("bin") }
            .first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("pg_ctl").path) }
    }()

    /// Creates and starts a cluster; its superuser `rw` (password `secret`) owns the database `rw`.
    /// The tools run on a thread of their own, never blocking the tasks' cooperative threads.
    public static func start() async throws -> PostgresCluster {
        try await onThread { try startBlocking() }
    }

    /// Stops the server and deletes the folder, on a thread of its own.
    public func stop() async {
        await Self.onThread { self.stopBlocking() }
    }

    /// Stops the server (fast shutdown: its clients' connections are closed) and keeps the
    /// folder, so ``startServer()`` starts it again with the same data on the same port.
    public func stopServer() async throws {
        try await Self.onThread { try self.stopServerBlocking() }
    }

    private func stopServerBlocking() throws {
        try asServerUser(
            Self.binaries!.appendingPathComponent("pg_ctl").path,
            [
                "-D", folder.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"
            ])
    }

    /// Starts the server ``stopServer()`` stopped and waits until it accepts connections.
    public func startServer() async throws {
        try await Self.onThread { try self.startServerBlocking() }
    }

    private func startServerBlocking() throws {
        try asServerUser(
            Self.binaries!.appendingPathComponent("pg_ctl").path,
            [
                "-D", folder.appendingPathComponent("data").path, "-l", folder.appendingPathComponent("log").path, "-w", "-t", "60", "start",
                "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder.path) -c fsync=off -c max_connections=100"
            ])
    }

    /// Runs `psql -c sql` against the database `rw` and returns its unaligned output.
    public func psql(_ sql: String) async throws -> String {
        try await Self.onThread { try self.psqlBlocking(sql) }
    }

    /// Runs `body` on a new thread and returns its result.
    static func onThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    static func onThread(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            Thread {
                body()
                continuation.resume()
            }.start()
        }
    }

    private static func startBlocking() throws -> PostgresCluster {
        guard let binaries else { throw ClusterError("PostgreSQL is not installed (scripts/install-system-packages)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cluster = PostgresCluster(folder: folder, port: try freePort())
        let password = folder.appendingPathComponent("pwfile")
        try "secret\n".write(to: password, atomically: true, encoding: .utf8)
        if getuid() == 0 {
            try run("/bin/chown", ["-R", "postgres:postgres", folder.path])
        }
        let data = folder.appendingPathComponent("data").path
        try cluster.asServerUser(
            binaries.appendingPathComponent("initdb").path,
            [
                "-D", data, "-U", "rw", "--pwfile", password.path, "-A", "scram-sha-256", "--auth-local=trust",
                "-E", "UTF8", "--no-sync"
            ])
        try cluster.startServerBlocking()
        try cluster.asServerUser(
            binaries.appendingPathComponent("createdb").path,
            [
                "-h", folder.path, "-p", "\(cluster.port)", "-U", "rw", "rw"
            ])
        return cluster
    }

    private func stopBlocking() {
        if Self.binaries != nil { try? stopServerBlocking() }
        try? FileManager.default.removeItem(at: folder)
    }

    private func psqlBlocking(_ sql: String) throws -> String {
        try asServerUser(
            Self.binaries!.appendingPathComponent("psql").path,
            [
                "-h", folder.path, "-p", "\(port)", "-U", "rw", "-d", "rw", "-At", "-c", sql
            ])
    }

    @discardableResult
    private func asServerUser(_ tool: String, _ arguments: [String]) throws -> String {
        if getuid() == 0 {
            return try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments)
        }
        return try Self.run(tool, arguments)
    }

    /// Runs `tool` in /tmp to completion and returns its output (standard output and error).
    /// Every descriptor of this process above standard error is marked close-on-exec first: the
    /// server `pg_ctl start` leaves running must not hold any, such as the socket through which
    /// Foundation's `Process` learns that another test's child has ended (a server holding it
    /// makes that test wait forever).
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("rw-pg-output-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["/bin/sh", "-c", "cd /tmp && exec \"$0\" \"$@\"", tool] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        closeOnExec()
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        guard spawned == 0 else { throw ClusterError("\(tool) could not start: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = ((try? String(contentsOf: outputFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0 else {
            throw ClusterError("\(tool) \(arguments.joined(separator: " ")) failed (wait status \(status)): \(text)")
        }
        return text
    }

    /// Marks every open descriptor above standard error close-on-exec.
    private static func closeOnExec() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw ClusterError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A cluster that could not be started or a tool that failed, in one line.
public struct ClusterError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
