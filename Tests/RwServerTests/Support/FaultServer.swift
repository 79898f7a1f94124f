import Foundation
import RwTestSupport
import Testing

/// The `rw-fault-server` executable (Tests/FaultServer) running as a child process: the
/// production server `serve(app)` on a free port, with a public folder holding two assets and,
/// next to that folder, a secret file no request may ever read.
final class FaultServer: @unchecked Sendable {
    /// What the secret file outside `public/` holds.
    static let secret = "TOP-SECRET-OUTSIDE-PUBLIC"

    /// The port the server listens on (127.0.0.1).
    let port: Int
    /// The server's public folder.
    let publicDirectory: URL
    /// The folder holding `public/` and `secret.txt`; the server's working directory.
    let root: URL

    private let process: Process
    private let output: Pipe
    private let errorLog: ErrorLog

    /// The executable, built next to the test bundle.
    private static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("rw-fault-server")

    private init(process: Process, output: Pipe, errorLog: ErrorLog, port: Int, root: URL) {
        self.process = process
        self.output = output
        self.errorLog = errorLog
        self.port = port
        self.root = root
        self.publicDirectory = root.appendingPathComponent("public")
    }

    /// Starts a server with `arguments` added to `--host 127.0.0.1 --port 0 --public …` (and
    /// `environment` added to the test's), waits for it to listen, runs `body`, then checks the
    /// server is still running (it did not crash) and that it shuts down cleanly on SIGTERM.
    static func with<T>(
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (FaultServer) async throws -> T
    ) async throws -> T {
        let server = try await start(arguments, environment: environment)
        let result: T
        do {
            result = try await body(server)
        } catch {
            _ = await server.stop()
            throw error
        }
        #expect(
            server.isRunning, "the server process died during the test; its last output:\n\(server.errorLog.text)",
            sourceLocation: sourceLocation)
        let status = await server.stop()
        #expect(status == 0, "the server should exit cleanly on SIGTERM", sourceLocation: sourceLocation)
        return result
    }

    /// Starts a server and waits (at most 60 s) until it prints its address.
    static func start(_ arguments: [String] = [], environment: [String: String] = [:]) async throws -> FaultServer {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rw-fault-\(UUID().uuidString)")
        let publicDirectory = root.appendingPathComponent("public")
        try FileManager.default.createDirectory(
            at: publicDirectory.appendingPathComponent("client"), withIntermediateDirectories: true)
        try Data("hello asset\n".utf8).write(to: publicDirectory.appendingPathComponent("hello.txt"))
        try Data("export const x = 1;\n".utf8).write(to: publicDirectory.appendingPathComponent("client/app.js"))
        try Data(secret.utf8).write(to: root.appendingPathComponent("secret.txt"))

        let process = Process()
        process.executableURL = executable
        process.arguments = ["--host", "127.0.0.1", "--port", "0", "--public", publicDirectory.path] + arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        let errorLog = ErrorLog()
        process.standardError = errorLog.pipe
        try process.run()
        errorLog.startDraining()

        let line = await firstLine(of: output, containing: "listening on http://")
        guard let line, let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
            kill(process.processIdentifier, SIGKILL)
            throw StartFailure(log: errorLog.text)
        }
        return FaultServer(process: process, output: output, errorLog: errorLog, port: port, root: root)
    }

    /// Runs the executable with `arguments` added to `--host 127.0.0.1 --public <empty folder>`
    /// until it exits by itself (a server that cannot start); returns how it ended and what it
    /// wrote to standard error.
    static func runToExit(_ arguments: [String]) async throws -> (
        reason: Process.TerminationReason, status: Int32, standardError: String
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--host", "127.0.0.1", "--public", folder.path] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // Standard error closes when the process exits (or is killed at the bound below).
        let reading = Task.detached { String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        _ = await process.exitStatus(within: 60, waitingFor: "rw-fault-server \(arguments.joined(separator: " ")) to exit by itself")
        let standardError = await reading.value
        return (process.terminationReason, process.terminationStatus, standardError)
    }

    struct StartFailure: Error, CustomStringConvertible {
        /// The end of what the server wrote to standard error.
        let log: String
        var description: String { "rw-fault-server did not print its address within 60 s; its standard error ended with:\n\(log)" }
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning }

    /// The server's resident set size in bytes (VmRSS from /proc), or `nil` once it has exited.
    func residentMemory() -> Int? { memoryFigure("VmRSS:") }

    /// The highest resident set size the server has had so far (VmHWM), in bytes.
    func peakResidentMemory() -> Int? { memoryFigure("VmHWM:") }

    private func memoryFigure(_ key: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
            let kiB = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kiB * 1024
    }

    /// Sends SIGTERM and waits (at most 60 s, then SIGKILL and an issue) for the exit; returns
    /// the exit status. Removes the temporary folder.
    func stop() async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let status = await process.exitStatus(within: 60, waitingFor: "rw-fault-server to exit after SIGTERM")
        try? FileManager.default.removeItem(at: root)
        return status
    }

    /// Reads `pipe` until a line contains `marker` (at most 60 s: then `nil`); keeps draining it
    /// afterwards (on the same thread) so the server never blocks writing its log.
    private static func firstLine(of pipe: Pipe, containing marker: String) async -> String? {
        await withCheckedContinuation { (waiting: CheckedContinuation<String?, Never>) in
            let continuation = ResumeOnce(waiting)
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) { continuation.resume(returning: nil) }
            Thread {
                var buffer = Data()
                var found = false
                while true {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    if found { continue }
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                        buffer.removeSubrange(buffer.startIndex...newline)
                        if line.contains(marker) {
                            found = true
                            continuation.resume(returning: line)
                            break
                        }
                    }
                }
                if !found { continuation.resume(returning: nil) }
            }.start()
        }
    }

    /// A continuation resumed by whichever comes first: the line, the end of the output, or the
    /// bound.
    private final class ResumeOnce: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<String?, Never>?

        init(_ continuation: CheckedContinuation<String?, Never>) { self.continuation = continuation }

        func resume(returning value: String?) {
            lock.withLock {
                continuation?.resume(returning: value)
                continuation = nil
            }
        }
    }

    /// The server's standard error (its log, and a backtrace if it crashes): the last 16 KiB are
    /// kept to explain a failure, the rest is dropped, so the test output stays quiet.
    private final class ErrorLog: @unchecked Sendable {
        let pipe = Pipe()
        private let lock = NSLock()
        private var tail = Data()

        func startDraining() {
            Thread {
                while true {
                    let chunk = self.pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { return }
                    self.lock.withLock {
                        self.tail.append(chunk)
                        if self.tail.count > 16384 { self.tail.removeFirst(self.tail.count - 16384) }
                    }
                }
            }.start()
        }

        var text: String { lock.withLock { String(decoding: tail, as: UTF8.self) } }
    }
}
