import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Paths of the repository and of the products built alongside the tests.
enum Paths {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding this build's products (the test bundle and the `rw` executable).
    static let products = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

    /// The `rw` executable built with the tests.
    static let rw = products.appendingPathComponent("rw")

    /// The scratch folder the playgrounds' production builds share (`rw build --scratch-path`), so
    /// Hummingbird, SwiftNIO, swift-crypto and RwSDK are compiled for release once, not once per
    /// playground. `bench/run` builds there too.
    static let releaseScratch = root.appendingPathComponent(".build/release-apps")
}

/// A child process whose output (standard output and error together) is read line by line by a
/// thread of its own, from its start until it closes: every line is kept and echoed to the test's
/// standard error, so the child never blocks on a full pipe and tests can wait for any line.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    /// Guards `lines` and `closed`; signalled at each new line and when the output closes.
    private let seen = NSCondition()
    private var lines: [String] = []
    private var closed = false

    /// Starts `executable` with `arguments` (in `directory`, with `environment` replacing
    /// variables of this process's environment); standard error is read with standard output, or
    /// discarded when `quiet` (so a process that outlives the test run cannot hold the test's
    /// output open).
    init(
        _ executable: URL, _ arguments: [String], quiet: Bool = false, in directory: URL? = nil, environment: [String: String] = [:]
    ) throws {
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = output
        process.standardError = quiet ? FileHandle.nullDevice : output
        try process.run()
        Thread { self.readLines() }.start()
    }

    /// How many lines the child has written so far: pass it as `from` to wait only for later ones.
    var lineCount: Int { seen.withLock { lines.count } }

    /// Waits until a line at index `from` or later contains `marker` and returns it, or `nil`
    /// when the output closed first.
    func waitForLine(containing marker: String, from start: Int = 0) async -> String? {
        await withCheckedContinuation { continuation in
            Thread {
                self.seen.lock()
                defer { self.seen.unlock() }
                var index = start
                while true {
                    while index < self.lines.count {
                        if self.lines[index].contains(marker) { return continuation.resume(returning: self.lines[index]) }
                        index += 1
                    }
                    if self.closed { return continuation.resume(returning: nil) }
                    self.seen.wait()
                }
            }.start()
        }
    }

    private func readLines() {
        var buffer = Data()
        while true {
            let chunk = output.fileHandleForReading.availableData
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                FileHandle.standardError.write(Data("[child] \(line)\n".utf8))
                seen.withLock { lines.append(line) }
                seen.broadcast()
            }
            if chunk.isEmpty { break }
        }
        seen.withLock { closed = true }
        seen.broadcast()
    }

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    func stop(_ signal: Int32 = SIGTERM) async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.process.waitForExit()) }.start()
        }
    }

    /// Runs `executable` to completion with inherited output and returns its exit status.
    static func run(_ executable: URL, _ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: process.waitForExit()) }.start()
        }
    }
}

extension Process {
    /// Blocks until the process has exited; returns its exit status, or the number of the signal
    /// that ended it (what `terminationStatus` would say).
    ///
    /// Foundation learns of every child's exit on one thread of its own, when a socket the child
    /// inherited closes; the socket is not close-on-exec, so a child started at the same moment
    /// from another thread may hold it too. With two tests starting release servers at once, that
    /// thread stopped noticing exits altogether: killed servers and a finished `rw build` stayed
    /// zombies, and `waitUntilExit()` never returned. `waitid` with `WNOWAIT` waits for this
    /// child alone, by its pid, and leaves it for Foundation to reap.
    func waitForExit() -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) != 0 {
            guard errno == EINTR else {
                // ECHILD: Foundation has reaped it already, so it knows the status.
                waitUntilExit()
                return terminationStatus
            }
        }
        return info._sifields._sigchld.si_status
    }
}

/// A minimal HTTP client over URLSession for tests.
struct HTTP: Sendable {
    let base: String
    /// Whether a redirect is followed (the reply is the last response) or returned as it came.
    var followsRedirects = true

    struct Reply {
        let status: Int
        let headers: [String: String]
        let text: String

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]
        // Tests send the cookies they mean to send, and read Set-Cookie themselves.
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration)
    }()

    /// Like ``session``, but a redirect is returned instead of followed.
    static let unredirected: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
    }()

    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await (followsRedirects ? Self.session : Self.unredirected).data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields["\(name)"] = "\(value)"
        }
        return Reply(status: http.statusCode, headers: fields, text: String(decoding: data, as: UTF8.self))
    }
}

/// Refuses every redirect, so the redirect itself is the reply.
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// A TCP socket connected to `127.0.0.1:port`; the caller closes it.
func connectToLoopback(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        throw POSIXError(.ECONNREFUSED)
    }
    return fd
}
