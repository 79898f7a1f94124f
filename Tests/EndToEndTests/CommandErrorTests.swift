import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The common mistakes with `rw`: each gets one clear line on standard error and a non-zero exit,
/// before any build starts.
@Suite(.timeLimit(.minutes(5)))
struct CommandErrorTests {
    @Test func buildWithoutAPackageFolder() async throws {
        try await withTemporaryDirectory { parent in
            let missing = parent.appendingPathComponent("not-a-package")
            let run = try await CapturedRun.rw(["build", "--package-path", missing.path])
            #expect(run.status != 0)
            #expect(run.errorLine == "Error: no folder at \(missing.path); pass the app package's folder with --package-path", "\(run)")
        }
    }

    @Test func buildInAFolderWithoutPackageSwift() async throws {
        try await withTemporaryDirectory { folder in
            let run = try await CapturedRun.rw(["build"], in: folder)
            #expect(run.status != 0)
            #expect(run.errorLine.hasPrefix("Error: \(folder.path) is not a Swift package (no Package.swift)"), "\(run)")
            #expect(!run.errorLine.contains("\n"), "one line: \(run)")
        }
    }

    @Test func devInAFolderWithoutPackageSwift() async throws {
        try await withTemporaryDirectory { folder in
            let run = try await CapturedRun.rw(["dev", "--port", "0"], in: folder)
            #expect(run.status != 0)
            #expect(run.errorLine.hasPrefix("Error: \(folder.path) is not a Swift package (no Package.swift)"), "\(run)")
            #expect(run.errorLine.contains("rw new"), "it says how to make one: \(run)")
            #expect(!run.errorLine.contains("\n"), "one line: \(run)")
        }
    }

    @Test(arguments: [["build"], ["dev", "--port", "0"]])
    func packageNeedingANewerToolchain(command: [String]) async throws {
        try await withTemporaryDirectory { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("Sources/App"), withIntermediateDirectories: true)
            try "// swift-tools-version: 99.0\nimport PackageDescription\nlet package = Package(name: \"future\", targets: [.target(name: \"App\")])\n"
                .write(to: folder.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
            try "public let app = 1\n".write(to: folder.appendingPathComponent("Sources/App/App.swift"), atomically: true, encoding: .utf8)
            let run = try await CapturedRun.rw(command, in: folder)
            #expect(run.status != 0)
            #expect(run.errorLine.contains("Package.swift needs Swift tools version 99.0.0, but this toolchain is Swift "), "\(run)")
            #expect(!run.errorLine.contains("\n"), "one line: \(run)")
        }
    }

    @Test func devOnAPackageWithoutAnApp() async throws {
        try await withTemporaryDirectory { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("Sources/Tool"), withIntermediateDirectories: true)
            try """
            // swift-tools-version: 6.0
            import PackageDescription
            let package = Package(name: "tool", targets: [.target(name: "Tool")])

            """.write(to: folder.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
            try "public let tool = 1\n".write(to: folder.appendingPathComponent("Sources/Tool/Tool.swift"), atomically: true, encoding: .utf8)
            let run = try await CapturedRun.rw(["dev", "--port", "0", "--package-path", folder.path])
            #expect(run.status != 0)
            #expect(
                run.errorLine.hasSuffix("Error: no library target of the package depends on RwSDK; the app must live in one (see playground/hello-world)"),
                "\(run)")
        }
    }

    @Test func devOnAPortInUseNamesThePortAndItsHolder() async throws {
        let listener = try Listener()
        defer { listener.close() }
        try await withTemporaryDirectory { folder in
            let started = ContinuousClock.now
            let run = try await CapturedRun.rw(["dev", "--port", String(listener.port)], in: folder)
            #expect(run.status != 0)
            #expect(
                run.errorLine.hasSuffix(
                    "Error: port \(listener.port) on 127.0.0.1 is already in use by pid \(getpid()) (\(Self.programName)); stop it or pick another port with --port (0 picks a free one)"
                ), "\(run)")
            #expect(!run.errorLine.contains("\n"), "one line: \(run)")
            #expect(ContinuousClock.now - started < .seconds(30), "reported before any build")
        }
    }

    /// This test process's program name, as `rw dev` reports it.
    static let programName = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent

    /// A TCP socket listening on a free loopback port, held by this process.
    final class Listener: Sendable {
        let fd: Int32
        let port: Int

        init() throws {
            // Close-on-exec: no child process started meanwhile shares it.
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard fd >= 0, bound else {
                _ = Glibc.close(fd)
                throw POSIXError(.EADDRINUSE)
            }
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        func close() { _ = Glibc.close(fd) }
    }
}
