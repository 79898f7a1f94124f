package import Foundation
import RwSubprocess
import Synchronization
import Testing

/// A child process whose output (standard output and error together) is read line by line by a
/// thread of its own, from its start until it closes: every line is kept and echoed to the test's
/// standard error, so the child never blocks on a full pipe and tests can wait for any line.
///
/// Every wait is bounded: a wait that passes its bound records an issue naming what it waited
/// for, so a child that hangs fails its test instead of the whole run.
package final class ChildProcess: @unchecked Sendable {
    package let process = Process()
    private let output = Pipe()
    /// Guards `lines` and `closed`; signalled at each new line and when the output closes.
    private let seen = NSCondition()
    private var lines: [String] = []
    private var closed = false
    private let name: String

    /// Starts `executable` with `arguments` (in `directory`, with `environment` replacing
    /// variables of this process's environment); standard error is read with standard output, or
    /// discarded when `quiet` (so a process that outlives the test run cannot hold the test's
    /// output open).
    package init(
        _ executable: URL, _ arguments: [String], quiet: Bool = false, in directory: URL? = nil, environment: [String: String] = [:]
    ) throws {
        name = ([executable.lastPathComponent] + arguments.prefix(2)).joined(separator: " ")
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
    package var lineCount: Int { seen.withLock { lines.count } }

    /// Every line the child has written so far.
    package var linesSoFar: [String] { seen.withLock { lines } }

    /// Waits until a line at index `from` or later contains `marker` and returns it, or `nil`
    /// when the output closed first or `timeout` seconds passed (then an issue names the line
    /// waited for). The default bound is long enough for a first `rw dev` start, which compiles
    /// the app's dependencies in debug (over 10 minutes seen on two busy cores), and shorter than
    /// `scripts/test`'s bound on the whole run, so a hang fails the test that waited.
    package func waitForLine(
        containing marker: String, from start: Int = 0, timeout: Double = 2400, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> String? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        let found: String?? = await withCheckedContinuation { continuation in
            Thread {
                self.seen.lock()
                defer { self.seen.unlock() }
                var index = start
                while true {
                    while index < self.lines.count {
                        if self.lines[index].contains(marker) { return continuation.resume(returning: .some(self.lines[index])) }
                        index += 1
                    }
                    if self.closed { return continuation.resume(returning: .some(nil)) }
                    if !self.seen.wait(until: deadline) && Date() >= deadline { return continuation.resume(returning: nil) }
                }
            }.start()
        }
        guard let found else {
            Issue.record("`\(name)` wrote no line containing \"\(marker)\" within \(Int(timeout)) s", sourceLocation: sourceLocation)
            return nil
        }
        return found
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

    /// Sends `signal` and waits for the process to exit; returns its exit status. A process still
    /// running `timeout` seconds later is killed (SIGKILL), and an issue says so.
    package func stop(_ signal: Int32 = SIGTERM, timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation) async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return await process.exitStatus(within: timeout, waitingFor: "`\(name)` to exit after signal \(signal)", sourceLocation: sourceLocation)
    }

    /// Runs `executable` to completion with inherited output and returns its exit status; a run
    /// longer than `timeout` seconds is killed and recorded as an issue.
    package static func run(
        _ executable: URL, _ arguments: [String], timeout: Double = 1800, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        try process.run()
        let what = "`\(([executable.lastPathComponent] + arguments.prefix(2)).joined(separator: " "))` to finish"
        return await process.exitStatus(within: timeout, waitingFor: what, sourceLocation: sourceLocation)
    }
}

extension Process {
    /// Waits (off the cooperative pool) at most `timeout` seconds for the process to exit and
    /// returns its exit status. When the bound passes, an issue names `what` was waited for, the
    /// process is killed with SIGKILL, and its status after that is returned.
    package func exitStatus(within timeout: Double, waitingFor what: String, sourceLocation: SourceLocation = #_sourceLocation) async -> Int32 {
        let pid = processIdentifier
        let exited = Flag()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            Thread {
                let status = self.waitForExit()
                exited.value.store(true, ordering: .sequentiallyConsistent)
                continuation.resume(returning: status)
            }.start()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                // Still running after the bound: the waiting thread above returns once it is gone.
                guard !exited.value.load(ordering: .sequentiallyConsistent) else { return }
                Issue.record("waited \(Int(timeout)) s for \(what); killed it", sourceLocation: sourceLocation)
                kill(pid, SIGKILL)
            }
        }
    }
}

/// A flag shared between the thread that waits for an exit and the timer that bounds the wait.
private final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
