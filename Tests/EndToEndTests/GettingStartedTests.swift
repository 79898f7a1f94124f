import Foundation
import RwSubprocess
import RwTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Getting Started guide followed as a newcomer would: its shell commands, read from the
/// guide itself and run in order in a clean copy of this repository with a home folder of their
/// own, so the guide cannot drift from what works. The copy is deleted once `rw` is installed:
/// the installed `rw` creates, serves and builds the app from outside any checkout. The guide's
/// `rw build` and `rw preview` run with `RW_SCRATCH_PATH` set to the playgrounds' production
/// scratch folder (one build there at a time, ``ReleaseBuilds``), so the release build compiles
/// RwSDK and the app but not SwiftNIO, Hummingbird and swift-crypto again. The production build
/// is then served from a chroot holding only the executable, `public/` and the shared libraries
/// `ldd` lists: no Swift.
@Suite(.serialized, .timeLimit(.minutes(40)))
struct GettingStartedTests {
    static let guide = Paths.root.appendingPathComponent("Sources/RwSDK/RwSDK.docc/GettingStarted.md")

    /// The commands of the guide's `sh` blocks, one array per block, comments and blank lines
    /// left out.
    static func commandBlocks() throws -> [[String]] {
        let text = try String(contentsOf: guide, encoding: .utf8)
        var blocks: [[String]] = []
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil {
                if line == "```sh" { current = [] }
            } else if line == "```" {
                blocks.append(current!)
                current = nil
            } else {
                let command = (line.range(of: " #").map { line[..<$0.lowerBound] } ?? line[...])
                    .trimmingCharacters(in: .whitespaces)
                if !command.isEmpty && !command.hasPrefix("#") { current!.append(command) }
            }
        }
        return blocks
    }

    /// Copies the repository's files as a fresh clone would have them (tracked and new files, the
    /// working tree's contents; no .build) into `destination`.
    static func cleanCopy(to destination: URL) async throws {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        let copied = try await CapturedRun.run(
            URL(fileURLWithPath: "/bin/bash"),
            [
                "-c",
                #"git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do if [ -e "$file" ]; then cp --parents -P "$file" "$0" || exit 1; fi; done"#,
                destination.path
            ],
            in: Paths.root)
        try #require(copied.status == 0, "\(copied)")
        try #require(FileManager.default.fileExists(atPath: destination.appendingPathComponent("scripts/install").path), "\(copied)")
    }

    @Test func theGuidesCommandsWorkInOrderAndTheBuildRunsWithoutSwift() async throws {
        let blocks = try Self.commandBlocks()
        try #require(blocks.count == 4, "install, create, run with hot reload, build: \(blocks)")
        try #require(blocks[0] == ["cd rwsdk-swift", "scripts/install"])

        try await withTemporaryDirectory { sandbox in
            let home = sandbox.appendingPathComponent("home")
            let checkout = sandbox.appendingPathComponent("rwsdk-swift")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try await Self.cleanCopy(to: checkout)
            let environment = [
                "HOME": home.path,
                "PATH": home.path + "/.local/bin:" + NewCommandTests.pathWithoutRw,
                // scripts/install installs the rw built with the tests instead of building one.
                "RW_INSTALL_BINARY": Paths.rw.path,
                // `rw build` and `rw preview` use the scratch folder of the playgrounds' production
                // builds, where SwiftNIO, Hummingbird and swift-crypto are compiled for release
                // already: only RwSDK (from the installed sources) and the app are compiled.
                "RW_SCRATCH_PATH": Paths.releaseScratch.path
            ]
            let shell = Shell(directory: sandbox, home: home, environment: environment)

            // Install, then delete the checkout (the shell stands in it until the next `cd`): what
            // follows uses only the installed rw.
            try await shell.run(blocks[0])
            try FileManager.default.removeItem(at: checkout)
            let installed = home.appendingPathComponent(".local/share/rwsdk")

            // rw new says where RwSDK comes from, and prints the guide's next two commands.
            let created = try await shell.run(blocks[1])
            let newOutput = try #require(created.last).output
            #expect(newOutput.contains("RwSDK: by path, \(installed.path) (the sources this rw comes from;"), "\(newOutput)")
            let printed = newOutput.components(separatedBy: "Start the dev server:\n").last?
                .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(printed == blocks[2], "rw new prints the commands the guide runs next: \(newOutput)")
            let version = try await shell.capture("rw --version")
            #expect(version.output.contains("RwSDK 0.1.0"), "\(version)")
            #expect(version.output.contains("toolchain: Swift version "), "\(version)")
            #expect(version.output.contains("RwSDK sources: \(installed.path)"), "\(version)")
            let app = home.appendingPathComponent("my-app")
            let manifest = try String(contentsOf: app.appendingPathComponent("Package.swift"), encoding: .utf8)
            #expect(manifest.contains(#".package(name: "RwSDK", path: "\#(installed.path)")"#))

            try await shell.run(blocks[2])
            let built = try await ReleaseBuilds.exclusively { try await shell.run(blocks[3]) }
            let buildOutput = try #require(built.first).output
            #expect(buildOutput.contains("; no Swift runtime"), "\(buildOutput)")
            let binary = Paths.releaseScratch.appendingPathComponent("release/dist/my-app")
            #expect(buildOutput.contains("→ \(Paths.releaseScratch.path)/"), "built in RW_SCRATCH_PATH: \(buildOutput)")
            // Shipped stripped, its debug information next to it and named by its debug link; the
            // chroot below holds the executable alone.
            // (The output names the build folder under its target triple; `release` is SwiftPM's link.)
            #expect(buildOutput.contains("/dist/my-app (") && buildOutput.contains(", stripped)"), "\(buildOutput)")
            #expect(buildOutput.contains("debug information → ") && buildOutput.contains("/release/dist/my-app.debug ("), "\(buildOutput)")
            let sections = try await CapturedRun.run(URL(fileURLWithPath: "/usr/bin/readelf"), ["-S", "-W", binary.path])
            #expect(sections.output.contains(".gnu_debuglink") && !sections.output.contains(".debug_info"), "\(sections.output)")
            let debugSections = try await CapturedRun.run(URL(fileURLWithPath: "/usr/bin/readelf"), ["-S", "-W", binary.path + ".debug"])
            #expect(debugSections.output.contains(".debug_info"), "\(debugSections.output)")

            try await Self.serveFromChroot(app: app, binary: binary, root: sandbox.appendingPathComponent("root"))
        }
    }

    /// Serves `binary`, the release build of `app`, from a root folder holding only the
    /// executable, its `public/` folder, the libraries `ldd` lists and a mounted /proc, through
    /// `chroot`: the page, an action and an asset. Prints the executable's size, what the root held
    /// and the time to the first 200.
    static func serveFromChroot(app: URL, binary: URL, root: URL) async throws {
        try #require(getuid() == 0, "chroot needs root")
        let files = FileManager.default
        let name = binary.lastPathComponent
        let ldd = try await CapturedRun.run(URL(fileURLWithPath: "/usr/bin/ldd"), [binary.path])
        try #require(ldd.status == 0, "\(ldd)")
        let libraries = ldd.output.split(separator: "\n").compactMap { line in
            line.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("/") }.map(String.init)
        }
        try #require(libraries.contains { $0.contains("/ld-linux") }, "the dynamic loader: \(ldd.output)")
        try #require(libraries.allSatisfy { !$0.contains("swift") }, "\(ldd.output)")

        let appFolder = root.appendingPathComponent("app")
        try files.createDirectory(at: appFolder, withIntermediateDirectories: true)
        try files.copyItem(at: binary, to: appFolder.appendingPathComponent(name))
        try files.copyItem(at: app.appendingPathComponent("public"), to: appFolder.appendingPathComponent("public"))
        for library in libraries {
            let target = root.appendingPathComponent(library)
            try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try files.copyItem(at: URL(fileURLWithPath: library).resolvingSymlinksInPath(), to: target)
        }
        let held = try Self.regularFiles(in: root)
        #expect(!held.contains { $0.lowercased().contains("swift") }, "\(held)")
        let size = try #require(files.attributesOfItem(atPath: binary.path)[.size] as? Int)

        // A statically linked Swift executable reads its arguments from /proc/self/cmdline, which
        // every Linux system and container mounts; the chroot gets it too, and loses it again
        // before anything is removed.
        let proc = root.appendingPathComponent("proc")
        try files.createDirectory(at: proc, withIntermediateDirectories: true)
        let mounted = try await CapturedRun.run(URL(fileURLWithPath: "/usr/bin/env"), ["mount", "-t", "proc", "proc", proc.path])
        try #require(mounted.status == 0, "\(mounted)")
        do {
            try await serve(root: root, name: name, size: size, held: held)
        } catch {
            _ = try? await CapturedRun.run(URL(fileURLWithPath: "/usr/bin/env"), ["umount", "-l", proc.path])
            throw error
        }
        let unmounted = try await CapturedRun.run(URL(fileURLWithPath: "/usr/bin/env"), ["umount", "-l", proc.path])
        try #require(unmounted.status == 0, "\(unmounted)")
    }

    /// Starts the executable `name` in `root` and checks the page, the action and an asset.
    static func serve(root: URL, name: String, size: Int, held: [String]) async throws {
        let started = ContinuousClock.now
        let server = try ChildProcess(
            URL(fileURLWithPath: "/usr/sbin/chroot"),
            [root.path, "/app/\(name)", "--host", "127.0.0.1", "--port", "0", "--public", "/app/public"])
        let line = await server.waitForLine(containing: "listening on http://")
        let address = try #require(line.flatMap { $0.split(separator: " ").last.map(String.init) }, "the server did not start in the chroot")
        let http = HTTP(base: address)
        let page = try await http.send("GET", "/")
        let firstOK = ContinuousClock.now - started
        #expect(page.status == 200)
        #expect(page.text.contains("<h1>Hello, World!</h1>"), "\(page.text)")
        print(
            "chroot artifact: \(name) \(String(format: "%.1f", Double(size) / 1_048_576)) MiB; first 200 after \(firstOK.formatted(.units(allowed: [.milliseconds]))) from launch; root held \(held.joined(separator: " "))"
        )

        let action = try await http.send(
            "POST", "/_rw/action/greet",
            headers: ["Content-Type": "application/json", "Accept": "application/json", "Origin": address],
            body: #"{"name":"Chroot"}"#)
        #expect(action.status == 200, "\(action.text)")
        #expect(action.text == #"{"message":"Hello, Chroot!"}"#)
        #expect(action.header("X-Greeting") == "Hello, Chroot")

        #expect(!address.hasSuffix(":8080"), "the executable read its arguments (--port 0)")
        let asset = try await http.send("GET", "/client/counter.js")
        #expect(asset.status == 200)
        #expect(asset.text.contains("export function hydrate"))

        #expect(await server.stop(SIGTERM) == 0, "the server stops cleanly on SIGTERM")
    }

    /// Paths of the regular files under `directory`, relative to it, sorted.
    static func regularFiles(in directory: URL) throws -> [String] {
        let base = directory.standardizedFileURL.path
        let walker = try #require(FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]))
        var found: [String] = []
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            found.append(String(url.standardizedFileURL.path.dropFirst(base.count)))
        }
        return found.sorted()
    }

    /// Runs a guide's commands the way a user types them into one terminal: `cd` changes the
    /// folder of the commands that follow (`~` is the home folder); `rw dev` and `rw preview`,
    /// which serve until stopped, run until they answer `GET /` with the app's page and are then
    /// stopped with SIGTERM (as Ctrl-C would); every other command must succeed.
    final class Shell: @unchecked Sendable {
        private(set) var directory: URL
        let home: URL
        let environment: [String: String]

        init(directory: URL, home: URL, environment: [String: String]) {
            self.directory = directory
            self.home = home
            self.environment = environment
        }

        /// Runs `commands` in order; returns the output of those that ran to completion.
        @discardableResult
        func run(_ commands: [String]) async throws -> [CapturedRun] {
            var runs: [CapturedRun] = []
            for command in commands {
                print("guide $ \(command)    (in \(directory.path))")
                if command.hasPrefix("cd ") {
                    let target = String(command.dropFirst(3))
                    directory = target == "~" ? home : directory.appendingPathComponent(target).standardizedFileURL
                    var isDirectory: ObjCBool = false
                    let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
                    try #require(exists && isDirectory.boolValue, "`\(command)`: no such folder")
                } else if command == "rw dev" || command.hasPrefix("rw dev ") || command.hasPrefix("rw preview") {
                    try await serve(command)
                } else {
                    let run = try await capture(command)
                    try #require(run.status == 0, "`\(command)` failed: \(run)")
                    runs.append(run)
                }
            }
            return runs
        }

        /// Runs `command` with bash in the current folder and returns its outcome.
        func capture(_ command: String) async throws -> CapturedRun {
            try await CapturedRun.run(URL(fileURLWithPath: "/bin/bash"), ["-c", command], in: directory, environment: environment)

        }

        private func serve(_ command: String) async throws {
            let server = try ChildProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", "exec " + command], in: directory, environment: environment)
            let line = await server.waitForLine(containing: "listening on http://")
            let address = try #require(line.flatMap { $0.split(separator: " ").first { $0.hasPrefix("http://") } }, "`\(command)` did not start")
            let page = try await HTTP(base: String(address.hasSuffix("/") ? address.dropLast() : address)).send("GET", "/")
            #expect(page.status == 200, "`\(command)`: \(page.text)")
            #expect(page.text.contains("<h1>Hello, World!</h1>"), "`\(command)`: \(page.text)")
            #expect(await server.stop(SIGTERM) == 0, "`\(command)` stops cleanly on SIGTERM")
        }
    }
}
