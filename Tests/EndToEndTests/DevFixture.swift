import Foundation
import RwSubprocess
import RwTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A copy of the dev-app fixture package, shared by the dev server tests so SwiftPM's work on
/// its dependencies is done once. Each test starts from the original sources.
enum DevFixture {
    /// The fixture copy's directory (inside the repository's .build, so it survives reruns).
    static let directory: URL = {
        let directory = Paths.root.appendingPathComponent(".build/dev-fixture")
        try? FileManager.default.createDirectory(at: directory.appendingPathComponent("Sources/DevApp"), withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("Package.swift")
        if (try? String(contentsOf: path, encoding: .utf8)) != manifest {
            try? manifest.write(to: path, atomically: true, encoding: .utf8)
        }
        return directory
    }()

    /// The fixture's Package.swift.
    static let manifest = """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "dev-app",
            platforms: [.macOS(.v15)],
            dependencies: [
                .package(name: "RwSDK", path: "\(Paths.root.path)"),
                .package(url: "https://github.com/apple/swift-algorithms", from: "1.2.1"),
                .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
                .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
                .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
            ],
            targets: [
                .target(
                    name: "DevApp",
                    dependencies: [
                        .product(name: "RwSDK", package: "RwSDK"),
                        .product(name: "Algorithms", package: "swift-algorithms"),
                        .product(name: "Atomics", package: "swift-atomics"),
                        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                        .product(name: "DequeModule", package: "swift-collections"),
                    ]
                )
            ]
        )

        """

    static let source = directory.appendingPathComponent("Sources/DevApp/App.swift")
    static let original = Paths.root.appendingPathComponent("Tests/EndToEndTests/Fixtures/dev-app/Sources/DevApp/App.swift")

    static let sourceDirectory = source.deletingLastPathComponent()
    static let manifestFile = directory.appendingPathComponent("Package.swift")

    /// Restores the fixture's original source and manifest, and removes files tests added.
    static func reset() throws {
        let text = try String(contentsOf: original, encoding: .utf8)
        if (try? String(contentsOf: source, encoding: .utf8)) != text {
            try text.write(to: source, atomically: false, encoding: .utf8)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: sourceDirectory.path) where name != "App.swift" {
            try FileManager.default.removeItem(at: sourceDirectory.appendingPathComponent(name))
        }
        if (try? String(contentsOf: manifestFile, encoding: .utf8)) != manifest {
            try manifest.write(to: manifestFile, atomically: true, encoding: .utf8)
        }
    }

    /// Saves the app source with its marker set to `marker`, the way an editor saves a file.
    static func setMarker(_ marker: String) throws {
        try edit { $0.replacingOccurrences(of: #"let marker = "v0""#, with: "let marker = \"\(marker)\"") }
    }

    /// Saves the source with the marker set and `import Algorithms` added and used on `/`.
    static func importAlgorithms(marker: String) throws {
        try edit {
            "import Algorithms\n"
                + $0.replacingOccurrences(of: #"let marker = "v0""#, with: "let marker = \"\(marker)\"")
                .replacingOccurrences(
                    of: #"route("/") { RwResponse(text: "marker=\(marker)") }"#,
                    with: #"route("/") { RwResponse(text: "marker=\(marker) chunks=\([1, 2, 3, 4, 5].chunks(ofCount: 2).map(Array.init))") }"#)
        }
    }

    /// Saves the original source transformed by `change`.
    static func edit(_ change: (String) -> String) throws {
        let text = change(try String(contentsOf: original, encoding: .utf8))
        try text.write(to: source, atomically: false, encoding: .utf8)
    }
}

/// Counts the outcomes of requests sent under load.
final class LoadTally: Sendable {
    let stop = Atomic<Bool>(false)
    let outcomes = Mutex<[String: Int]>([:])
}

/// `rw dev` on `package` ended, or printed no address in time, without listening.
struct DevStartFailure: Error, CustomStringConvertible {
    let package: URL
    var description: String { "rw dev on \(package.path) did not start listening" }
}

/// A running `rw dev` on the fixture.
final class DevServerProcess: Sendable {
    let child: ChildProcess
    let http: HTTP
    let port: Int
    private let isFixture: Bool

    private init(child: ChildProcess, address: String, isFixture: Bool) {
        self.child = child
        self.http = HTTP(base: address)
        self.port = Int(address.split(separator: ":").last ?? "0") ?? 0
        self.isFixture = isFixture
    }

    /// Starts `rw dev` on the fixture (from its original source) and waits until it listens.
    static func start(port: Int = 0, arguments: [String] = []) async throws -> DevServerProcess {
        try DevFixture.reset()
        return try await start(package: DevFixture.directory, port: port, arguments: arguments)
    }

    /// Starts `rw dev` (the `rw` at `executable`) on the app package at `package` (with more
    /// `arguments`, in `directory`, and `environment` replacing variables of this process's
    /// environment) and waits until it listens.
    static func start(
        package: URL, port: Int = 0, arguments: [String] = [], directory: URL? = nil, environment: [String: String] = [:],
        executable: URL = Paths.rw
    ) async throws -> DevServerProcess {
        let child = try ChildProcess(
            executable, ["dev", "--package-path", package.path, "--port", "\(port)"] + arguments, in: directory,
            environment: environment)
        let line = await child.waitForLine(containing: "listening on http://")
        guard let address = line.flatMap({ $0.split(separator: " ").first { $0.hasPrefix("http://") } }) else {
            // Never left running to compete with the next tests for the cores.
            _ = await child.stop(SIGKILL)
            throw DevStartFailure(package: package)
        }
        return DevServerProcess(
            child: child, address: String(address.dropLast(address.hasSuffix("/") ? 1 : 0)),
            isFixture: package == DevFixture.directory)
    }

    // A test that ends early (a failed `#require`) must not leave rw dev running: it holds the
    // test run's standard error open. SIGTERM also stops its runner.
    deinit {
        if child.process.isRunning { kill(child.process.processIdentifier, SIGTERM) }
    }

    /// The address the dev server listens on, such as `http://127.0.0.1:5173`.
    var address: String { http.base }

    /// Stops the dev server and checks it shut down cleanly.
    func stop() async {
        let status = await child.stop(SIGTERM)
        #expect(status == 0, "rw dev should exit cleanly on SIGTERM")
        if isFixture { try? DevFixture.reset() }
    }

    /// GETs `path` until `condition` holds for the body (bounded); returns the last body.
    @discardableResult
    func waitFor(_ path: String, attempts: Int = 600, _ condition: (String) -> Bool) async throws -> String {
        var last = ""
        for _ in 0..<attempts {
            if let reply = try? await http.send("GET", path), reply.status == 200 {
                last = reply.text
                if condition(last) { return last }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("GET \(path) never satisfied the condition; last body: \(last)")
        return last
    }

    /// Waits (bounded) until the state registry has `key`.
    func waitForStateKey(_ key: String) async throws {
        for _ in 0..<600 {
            let entries = try await state()["entries"] as? [[String: Any]] ?? []
            if entries.contains(where: { $0["key"] as? String == key }) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the state registry never got the key \(key)")
    }

    /// Sends GET `path` from `clients` concurrent loops until `tally.stop` is set, counting
    /// outcomes ("ok" for a 200 whose body passes `accept`).
    func generateLoad(_ tally: LoadTally, clients: Int, path: String = "/", accept: @escaping @Sendable (String) -> Bool = { _ in true })
        -> Task<Void, Never>
    {
        Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        while !tally.stop.load(ordering: .relaxed) {
                            let outcome: String
                            do {
                                let reply = try await self.http.send("GET", path)
                                outcome = reply.status == 200 && accept(reply.text) ? "ok" : "status \(reply.status): \(reply.text.prefix(80))"
                            } catch {
                                outcome = "error \(error)"
                            }
                            tally.outcomes.withLock { $0[outcome, default: 0] += 1 }
                        }
                    }
                }
            }
        }
    }

    /// The process id of the runner, the front's child (`nil` while there is none).
    func runnerPID() -> Int32? {
        let front = child.process.processIdentifier
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init) ?? []
        return pids.first { pid in
            // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after ")".
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == front && stat.contains("(rw-runner)")
        }
    }

    /// Waits (bounded) until a runner other than `previous` is running, and returns its id.
    func waitForRunner(other previous: Int32? = nil) async throws -> Int32 {
        for _ in 0..<1200 {
            if let pid = runnerPID(), pid != previous { return pid }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("no runner other than \(previous.map(String.init) ?? "none") started")
        throw CancellationError()
    }

    /// The deps image hash the session serves with.
    func depsHash() async throws -> String {
        try #require(try await state()["depsHash"] as? String)
    }

    /// The state inspector's JSON.
    func state() async throws -> [String: Any] {
        let reply = try await http.send("GET", "/_rw/state.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any])
    }
}

/// Reads a Server-Sent Events stream over a plain TCP connection.
final class EventStreamReader: @unchecked Sendable {
    private let fd: Int32
    /// Everything read so far.
    private var received: [UInt8] = []
    /// For each text waited for: its occurrences so far, and how far `received` was searched.
    private var counted: [[UInt8]: (occurrences: Int, searchedUpTo: Int)] = [:]

    /// Connects to `127.0.0.1:port` and requests `path`.
    init(port: Int, path: String = "/_rw/events") throws {
        fd = try connectToLoopback(port: port)
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    deinit { close(fd) }

    /// Reads until the stream contains `text` (within the receive timeout); returns everything read.
    func waitFor(_ text: String) async -> String? {
        await waitFor(text, occurrences: 1)
    }

    /// Reads until the stream contains `text` `occurrences` times (within the receive timeout),
    /// or `nil` when the stream ends first; returns everything read. Each byte is searched once
    /// per text, so waiting again and again on a long stream stays linear.
    func waitFor(_ text: String, occurrences: Int) async -> String? {
        await withCheckedContinuation { continuation in
            Thread {
                var buffer = [UInt8](repeating: 0, count: 65536)
                while self.count(Array(text.utf8)) < occurrences {
                    let count = recv(self.fd, &buffer, buffer.count, 0)
                    if count <= 0 { return continuation.resume(returning: nil) }
                    self.received += buffer[0..<count]
                }
                continuation.resume(returning: String(decoding: self.received, as: UTF8.self))
            }.start()
        }
    }

    /// The occurrences of `text` in what was read, searching only what is new since the last
    /// count of the same text.
    private func count(_ text: [UInt8]) -> Int {
        var (occurrences, index) = counted[text] ?? (0, 0)
        while index + text.count <= received.count {
            if received[index] == text[0], received[index..<(index + text.count)].elementsEqual(text) {
                occurrences += 1
                index += text.count
            } else {
                index += 1
            }
        }
        counted[text] = (occurrences, index)
        return occurrences
    }
}
