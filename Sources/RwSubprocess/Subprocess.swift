package import Foundation
import Synchronization

/// Runs child processes and collects their output: the one place RwSDK's tools start a child and
/// wait for it (`rw dev`'s builders, `rw`'s commands, and the tests).
package enum Subprocess {
    /// The outcome of a finished child process.
    package struct Result: Sendable {
        /// The exit status (or signal number when it was killed).
        package let status: Int32
        /// Standard output.
        package let output: String
        /// Standard error.
        package let errors: String
        /// Wall-clock duration in milliseconds.
        package let milliseconds: Double

        /// Whether the process exited with status 0.
        package var succeeded: Bool { status == 0 }
    }

    /// Runs `arguments` (looked up on PATH) in `directory`, collecting both output streams.
    /// Blocks the calling thread until the process ends.
    ///
    /// The process is launched from a short-lived thread of its own: launching a `Process` leaves
    /// a run loop (an epoll, an eventfd and a timerfd) on the launching thread, and on a
    /// long-lived thread, such as one of the cooperative pool's, those descriptors were never
    /// closed: rw dev leaked three with every re-optimization.
    package static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let outcome = Mutex<Swift.Result<Result, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            outcome.withLock { $0 = Swift.Result { try run(arguments, in: directory, process: Process()) } }
            done.signal()
        }.start()
        done.wait()
        return try outcome.withLock { $0! }.get()
    }

    private static func run(_ arguments: [String], in directory: URL?, process: Process) throws -> Result {
        let started = DispatchTime.now()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Drain error output concurrently so a chatty child cannot block on a full pipe.
        let errorReader = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        DispatchQueue.global().async(group: errorReader) {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        errorReader.wait()
        let status = process.waitForExit()
        // The child has ended. Waiting for Foundation to notice as well lets it close the
        // descriptors it keeps for each child: without it every run left one or two open, which
        // a long `rw dev` session (a compile and a link per save) would pile up.
        process.waitUntilExit()
        return Result(
            status: status,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self),
            milliseconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        )
    }

    /// Runs `arguments` and returns standard output; throws ``SubprocessError`` with the error
    /// output when the process fails.
    package static func capture(_ arguments: [String], in directory: URL? = nil) throws -> String {
        let result = try run(arguments, in: directory)
        guard result.succeeded else { throw SubprocessError(arguments: arguments, result: result) }
        return result.output
    }

    /// Runs `arguments` off the cooperative thread pool; cancelling the task terminates the
    /// child's whole process group (SIGTERM, then SIGKILL after 3 s), so the compilers a
    /// `swift build` started end with it instead of outliving it. (Foundation starts every child
    /// as the leader of a process group of its own: the group's id is the child's pid.)
    package static func run(_ arguments: [String], in directory: URL? = nil) async throws -> Result {
        let running = Process()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread {
                    continuation.resume(with: Swift.Result { try run(arguments, in: directory, process: running) })
                }.start()
            }
        } onCancel: {
            guard running.isRunning else { return }
            let group = -running.processIdentifier
            kill(group, SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + 3) {
                if running.isRunning { kill(group, SIGKILL) }
            }
        }
    }
}

/// A child process that failed.
package struct SubprocessError: Error, CustomStringConvertible {
    /// The command.
    package let arguments: [String]
    /// What it did.
    package let result: Subprocess.Result

    package init(arguments: [String], result: Subprocess.Result) {
        self.arguments = arguments
        self.result = result
    }

    package var description: String {
        let output = (result.errors + result.output).trimmingCharacters(in: .whitespacesAndNewlines)
        if let mismatch = Self.toolsVersionMismatch(in: output) { return mismatch }
        return "`\(arguments.joined(separator: " "))` failed (status \(result.status))" + (output.isEmpty ? "" : ":\n\(output)")
    }

    /// One line for SwiftPM's "package 'x' is using Swift tools version A but the installed
    /// version is B", the most common toolchain mismatch, or `nil` for other output.
    static func toolsVersionMismatch(in output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("is using Swift tools version") }),
            let needed = line.firstMatch(of: /tools version ([0-9.]+)/)?.1,
            let installed = line.firstMatch(of: /installed version is ([0-9.]+)/)?.1
        else { return nil }
        let package = line.firstMatch(of: /package '([^']+)'/)?.1 ?? "the package"
        return "\(package)'s Package.swift needs Swift tools version \(needed), but this toolchain is Swift \(installed): "
            + "install a newer toolchain or lower `// swift-tools-version:` in Package.swift"
    }
}
