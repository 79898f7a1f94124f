import Foundation
import RwDev
import RwSubprocess

/// What `rw --version` reports: the RwSDK release this `rw` belongs to, the compiler that built
/// it, the toolchain on PATH that builds apps, and where the RwSDK sources are.
enum Version {
    /// The RwSDK release of these sources (the version `rw new --sdk-url` asks for).
    static let sdk = "0.1.0"

    /// The Swift compiler this `rw` was compiled with (major.minor, from `#if compiler`).
    static var compiler: String {
        #if compiler(>=7.0)
        "7.0 or later"
        #elseif compiler(>=6.4)
        "6.4"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    /// The first line of `swift --version` for the toolchain on PATH (the one that builds apps),
    /// such as "Swift version 6.3.1 (swift-6.3.1-RELEASE)", or `nil` when there is none.
    static func toolchain() -> String? {
        guard let output = try? Subprocess.capture(["swift", "--version"]) else { return nil }
        return output.split(separator: "\n").first { $0.contains("Swift version") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    /// The toolchain's version number ("6.3.1"), read from ``toolchain()``'s line.
    static func toolchainVersion(_ line: String) -> String? {
        guard let range = line.range(of: "Swift version ") else { return nil }
        let number = line[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        return number.isEmpty ? nil : String(number)
    }

    /// The report, one fact a line.
    static func report() -> String {
        """
        rw \(sdk) (RwSDK \(sdk))
        compiled with Swift \(compiler)
        toolchain: \(toolchain() ?? "no swift on PATH (apps cannot be built)")
        RwSDK sources: \(SDKSources.locate()?.path ?? "none found (rw new needs --sdk-path or --sdk-url)")
        """
    }
}
