import Foundation
import RwDev
import RwSubprocess

/// Runs child processes whose output goes straight to the terminal.
enum Shell {
    /// Runs `arguments` (looked up on PATH) with inherited output; throws when it fails.
    static func run(_ arguments: [String], in directory: URL? = nil) throws {
        let process = makeProcess(arguments, in: directory)
        try process.run()
        let status = process.waitForExit()
        guard status == 0 else {
            throw RwError("`\(arguments.joined(separator: " "))` failed with exit status \(status)")
        }
    }

    /// `text` quoted for a POSIX shell when it holds anything but plain path characters.
    static func quote(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-./=:,+@%".contains($0)) }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    private static func makeProcess(_ arguments: [String], in directory: URL?) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        return process
    }
}
