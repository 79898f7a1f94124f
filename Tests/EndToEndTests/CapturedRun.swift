import Foundation
import RwSubprocess
import RwTestSupport

/// A finished child process: its exit status and both output streams.
struct CapturedRun: Sendable, CustomStringConvertible {
    let status: Int32
    let output: String
    let errors: String

    /// Standard error without the trailing newline: what a one-line error must fit in.
    var errorLine: String { errors.trimmingCharacters(in: .whitespacesAndNewlines) }

    var description: String { "exit \(status)\n--- stdout\n\(output)--- stderr\n\(errors)" }

    /// Runs `executable` with `arguments` in `directory` to completion, collecting its output in
    /// files (so neither stream can fill up and block it). `environment` replaces variables of
    /// this process's environment.
    static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) async throws -> CapturedRun {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("rw-test-\(UUID().uuidString).out")
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("rw-test-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: process.waitForExit()) }.start()
        }
        return CapturedRun(
            status: status,
            output: try String(contentsOf: outputFile, encoding: .utf8),
            errors: try String(contentsOf: errorFile, encoding: .utf8))
    }

    /// Runs the `rw` built with the tests.
    static func rw(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) async throws -> CapturedRun {
        try await run(Paths.rw, arguments, in: directory, environment: environment)
    }

    /// Runs `swift` from PATH.
    static func swift(_ arguments: [String]) async throws -> CapturedRun {
        try await run(URL(fileURLWithPath: "/usr/bin/env"), ["swift"] + arguments)
    }
}

/// A fresh, empty folder for one test, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}
