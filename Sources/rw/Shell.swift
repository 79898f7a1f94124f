import Foundation

/// Runs child processes for the CLI.
enum Shell {
    /// Runs `arguments` (looked up on PATH) with inherited output; throws when it fails.
    static func run(_ arguments: [String], in directory: URL? = nil) throws {
        let process = makeProcess(arguments, in: directory)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RwError("`\(arguments.joined(separator: " "))` failed with exit status \(process.terminationStatus)")
        }
    }

    /// Runs `arguments` and returns its standard output; throws with its error output when it fails.
    static func capture(_ arguments: [String]) throws -> String {
        let process = makeProcess(arguments, in: nil)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Drain error output concurrently so a chatty child cannot block on a full pipe.
        let errorOutput = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        DispatchQueue.global().async(group: errorOutput) {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        errorOutput.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self)
            throw RwError("`\(arguments.joined(separator: " "))` failed:\n\(message)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func makeProcess(_ arguments: [String], in directory: URL?) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        return process
    }
}
