import Foundation

/// How the user runs this `rw` executable, for the commands `rw` suggests.
enum RwInvocation {
    /// The shell command that runs this executable from any directory: `rw` when the first `rw`
    /// on PATH is this executable, otherwise its absolute path (never a `swift run` in the RwSDK
    /// checkout, which would run SwiftPM there on every start).
    static func command(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        isOnPath(environment: environment) ? "rw" : Shell.quote(executable.path)
    }

    /// Whether the first `rw` on PATH is this executable.
    static func isOnPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("rw")
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else { continue }
            return candidate.resolvingSymlinksInPath().path == executable.path
        }
        return false
    }

    /// This executable, symbolic links resolved.
    static var executable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    /// The RwSDK checkout whose `.build` holds `executable`, if any.
    static func buildCheckout(of executable: URL) -> URL? {
        let components = executable.pathComponents
        guard let build = components.lastIndex(of: ".build"), build > 0 else { return nil }
        let checkout = URL(fileURLWithPath: components[..<build].joined(separator: "/")).standardizedFileURL
        return isRwSDKCheckout(checkout) ? checkout : nil
    }

    /// Whether `directory` holds the RwSDK package (its manifest declares the package "RwSDK").
    static func isRwSDKCheckout(_ directory: URL) -> Bool {
        guard let manifest = try? String(contentsOf: directory.appendingPathComponent("Package.swift"), encoding: .utf8) else {
            return false
        }
        return manifest.contains(#"name: "RwSDK""#)
    }
}
