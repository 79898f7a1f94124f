import Foundation
import Testing

/// `rw new`: the package it writes, the names it derives, and what it refuses.
@Suite(.timeLimit(.minutes(20)))
struct NewCommandTests {
    /// SwiftPM's scratch folder for reading the generated package, kept in the repository's .build
    /// so a rerun resolves its dependencies from what is already there.
    static let scratch = Paths.root.appendingPathComponent(".build/rw-new-app")

    /// A PATH without any `rw`, so `rw new` has to say how to run the one built here.
    static let pathWithoutRw = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":")
        .filter { !FileManager.default.isExecutableFile(atPath: "\($0)/rw") }
        .joined(separator: ":")

    @Test func newPackageIsThePlaygroundAndDependsOnTheCheckout() async throws {
        try await withTemporaryDirectory { parent in
            let created = try await CapturedRun.rw(
                ["new", "hello-world", "--path", parent.path, "--sdk-path", Paths.root.path],
                environment: ["PATH": Self.pathWithoutRw])
            try #require(created.status == 0, "\(created)")
            let app = parent.appendingPathComponent("hello-world")
            #expect(created.output.contains("\n  cd \(app.path)\n"), "\(created.output)")
            // The rw built here, by its path: no SwiftPM run inside the checkout on every start.
            #expect(created.output.contains("\n  \(Paths.root.path)/.build/"), "\(created.output)")
            #expect(created.output.contains("/rw dev\n"), "\(created.output)")
            #expect(!created.output.contains("swift run"), "\(created.output)")
            #expect(created.output.contains("\nRwSDK: by path, \(Paths.root.path).\n"), "\(created.output)")

            // Every file but the manifest and the container recipe is the playground's, byte for byte.
            let playground = Paths.root.appendingPathComponent("playground/hello-world")
            let expected = try Self.files(in: playground).filter { $0 != "Package.swift" }
            let written = try Self.files(in: app)
            #expect(written == (expected + ["Package.swift", "Dockerfile", ".dockerignore"]).sorted())
            for file in expected {
                let mine = try Data(contentsOf: app.appendingPathComponent(file))
                let theirs = try Data(contentsOf: playground.appendingPathComponent(file))
                #expect(mine == theirs, "\(file) differs from the playground's")
            }
            let ignored = try String(contentsOf: app.appendingPathComponent(".gitignore"), encoding: .utf8)
            #expect(ignored.split(separator: "\n").map(String.init) == [".build/", ".rw/", "Package.resolved"])
            let manifest = try String(contentsOf: app.appendingPathComponent("Package.swift"), encoding: .utf8)
            #expect(manifest.contains(#".package(name: "RwSDK", path: "\#(Paths.root.path)")"#))

            // SwiftPM reads it as `rw dev` needs: one library target depending on RwSDK.
            let described = try await CapturedRun.swift([
                "package", "--package-path", app.path, "--scratch-path", Self.scratch.path, "describe", "--type", "json"
            ])
            try #require(described.status == 0, "\(described)")
            let targets = try Self.targets(describedBy: described.output)
            #expect(targets["HelloWorld"]?.type == "library")
            #expect(targets["HelloWorld"]?.product_dependencies == ["RwSDK"])
            #expect(targets["hello-world"]?.type == "executable")
            // That these files build is shown where they are built anyway: the playground's own
            // tests and GettingStartedTests, which serves `rw new`'s package through rw dev and rw build.
        }
    }

    /// An app of `rw new` that also depends on jwt-kit 5 (which needs swift-crypto 4) resolves:
    /// RwSDK accepts swift-crypto 3 and 4. Only resolved, not built, so it stays cheap.
    @Test func anAppDependingOnJWTKit5Resolves() async throws {
        try await withTemporaryDirectory { parent in
            let created = try await CapturedRun.rw(["new", "tokens", "--path", parent.path, "--sdk-path", Paths.root.path])
            try #require(created.status == 0, "\(created)")
            let app = parent.appendingPathComponent("tokens")
            let manifestFile = app.appendingPathComponent("Package.swift")
            var manifest = try String(contentsOf: manifestFile, encoding: .utf8)
            let folder = Paths.root.lastPathComponent
            if folder.lowercased() != "rwsdk" {
                #expect(manifest.contains("// RwSDK; SwiftPM's messages call it '\(folder)', the name of its folder."), "\(manifest)")
            }
            let dependencies = "dependencies: [\n"
            let product = #"dependencies: [.product(name: "RwSDK", package: "RwSDK")]"#
            try #require(manifest.contains(dependencies) && manifest.contains(product), "\(manifest)")
            // The package's dependencies come first in the manifest; the targets' lists after.
            let packageDependencies = try #require(manifest.range(of: dependencies))
            manifest.replaceSubrange(
                packageDependencies, with: dependencies + #"        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),"# + "\n")
            manifest = manifest.replacingOccurrences(
                of: product,
                with: #"dependencies: [.product(name: "RwSDK", package: "RwSDK"), .product(name: "JWTKit", package: "jwt-kit")]"#)
            try manifest.write(to: manifestFile, atomically: true, encoding: .utf8)

            let resolved = try await CapturedRun.swift([
                "package", "--package-path", app.path, "--scratch-path", Self.jwtScratch.path, "resolve"
            ])
            try #require(resolved.status == 0, "\(resolved)")
            let pins = try String(contentsOf: app.appendingPathComponent("Package.resolved"), encoding: .utf8)
            let versions = try Self.pinnedVersions(pins)
            #expect(versions["jwt-kit"]?.hasPrefix("5.") == true, "\(pins)")
            #expect(versions["swift-crypto"]?.hasPrefix("4.") == true, "\(pins)")
        }
    }

    /// `--template api` writes a JSON API whose sources and tests type-check against the RwSDK
    /// modules built with these tests (no package build, so it stays cheap).
    @Test func theAPITemplateTypeChecksAgainstRwSDK() async throws {
        try await withTemporaryDirectory { parent in
            let created = try await CapturedRun.rw(["new", "conduit", "--template", "api", "--path", parent.path, "--sdk-path", Paths.root.path])
            try #require(created.status == 0, "\(created)")
            let app = parent.appendingPathComponent("conduit")
            #expect(
                try Self.files(in: app) == [
                    ".dockerignore", ".gitignore", "Dockerfile", "Package.swift", "Sources/ConduitApp/App.swift", "Sources/ConduitApp/Auth.swift",
                    "Sources/ConduitApp/Store.swift", "Sources/conduit/main.swift", "Tests/ConduitAppTests/ConduitAppTests.swift", "public/.gitkeep"
                ])
            let source = try String(contentsOf: app.appendingPathComponent("Sources/ConduitApp/App.swift"), encoding: .utf8)
            #expect(source.contains("guarded(by: requireUser)") && source.contains("cors(CORSOptions())"))

            let modules = Paths.products.appendingPathComponent("Modules").path
            // RwSDK's C module (the embedded browser code), as SwiftPM hands it to its dependents.
            let browser = ["-Xcc", "-fmodule-map-file=" + Paths.products.appendingPathComponent("RwBrowser.build/module.modulemap").path]
            let library = try FileManager.default.contentsOfDirectory(atPath: app.appendingPathComponent("Sources/ConduitApp").path)
                .sorted().map { app.appendingPathComponent("Sources/ConduitApp/\($0)").path }
            let emitted = try await CapturedRun.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["swiftc", "-emit-module", "-module-name", "ConduitApp", "-enable-testing", "-I", modules] + browser + [
                    "-emit-module-path", parent.appendingPathComponent("ConduitApp.swiftmodule").path
                ] + library)
            try #require(emitted.status == 0, "\(emitted)")
            let tests = try await CapturedRun.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["swiftc", "-typecheck", "-I", parent.path, "-I", modules] + browser + [
                    app.appendingPathComponent("Tests/ConduitAppTests/ConduitAppTests.swift").path
                ])
            #expect(tests.status == 0, "\(tests)")
        }
    }

    /// SwiftPM's scratch folder for the jwt-kit app, kept in the repository's .build so a rerun
    /// resolves from what is already there.
    static let jwtScratch = Paths.root.appendingPathComponent(".build/rw-new-jwt-app")

    /// The pinned version of each package in a `Package.resolved` file, by identity.
    static func pinnedVersions(_ text: String) throws -> [String: String] {
        struct Resolved: Decodable {
            struct Pin: Decodable {
                struct State: Decodable { let version: String? }
                let identity: String
                let state: State
            }
            let pins: [Pin]
        }
        let resolved = try JSONDecoder().decode(Resolved.self, from: Data(text.utf8))
        return Dictionary(resolved.pins.compactMap { pin in pin.state.version.map { (pin.identity, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    @Test(arguments: [
        ("blog", "BlogApp"), ("my-shop_2", "MyShop2"), ("todo_list", "TodoList"), ("todoList", "TodoListApp")
    ])
    func namesTheTargetsAfterTheApp(name: String, library: String) async throws {
        try await withTemporaryDirectory { parent in
            let created = try await CapturedRun.rw(["new", name, "--path", parent.path])
            try #require(created.status == 0, "\(created)")
            let app = parent.appendingPathComponent(name)
            #expect(created.output.contains("app library \(library), executable \(name)"), "\(created.output)")
            #expect(FileManager.default.fileExists(atPath: app.appendingPathComponent("Sources/\(library)/App.swift").path))
            let main = try String(contentsOf: app.appendingPathComponent("Sources/\(name)/main.swift"), encoding: .utf8)
            #expect(main.hasPrefix("import \(library)\n"))
            #expect(FileManager.default.fileExists(atPath: app.appendingPathComponent("public/client/counter.js").path))
        }
    }

    @Test func withoutSDKOptionsTheManifestNamesTheCheckoutThisRwComesFrom() async throws {
        try await withTemporaryDirectory { parent in
            let created = try await CapturedRun.rw(["new", "blog"], in: parent)
            try #require(created.status == 0, "\(created)")
            #expect(created.output.contains("\n  cd blog\n"), "\(created.output)")
            #expect(
                created.output.contains(
                    "\nRwSDK: by path, \(Paths.root.path) (the sources this rw comes from; RwSDK has no published URL yet; --sdk-url or --sdk-path choose another).\n"
                ),
                "\(created.output)")
            let manifest = try String(contentsOf: parent.appendingPathComponent("blog/Package.swift"), encoding: .utf8)
            #expect(manifest.contains(#".package(name: "RwSDK", path: "\#(Paths.root.path)")"#), "\(manifest)")
        }
    }

    @Test func withSDKURLTheManifestNamesThatRepository() async throws {
        try await withTemporaryDirectory { parent in
            let url = "https://github.com/example/rwsdk-swift.git"
            let created = try await CapturedRun.rw(["new", "blog", "--sdk-url", url], in: parent)
            try #require(created.status == 0, "\(created)")
            #expect(created.output.contains("\nRwSDK: \(url) from 0.1.0.\n"), "\(created.output)")
            let app = parent.appendingPathComponent("blog")
            // dump-package evaluates the manifest without fetching anything.
            let dumped = try await CapturedRun.swift([
                "package", "--package-path", app.path, "--scratch-path", parent.appendingPathComponent("scratch").path, "dump-package"
            ])
            try #require(dumped.status == 0, "\(dumped)")
            #expect(dumped.output.contains(url), "\(dumped.output)")
            #expect(dumped.output.contains(#""lowerBound" : "0.1.0""#), "\(dumped.output)")
            let manifest = try String(contentsOf: app.appendingPathComponent("Package.swift"), encoding: .utf8)
            #expect(manifest.contains(#".product(name: "RwSDK", package: "rwsdk-swift")"#), "\(manifest)")
            let dockerfile = try String(contentsOf: app.appendingPathComponent("Dockerfile"), encoding: .utf8)
            #expect(dockerfile.contains("#   docker build -t blog .\n"), "\(dockerfile)")
            #expect(!dockerfile.contains("rwsdk"), "no build context for a package fetched by URL: \(dockerfile)")
        }
    }

    /// The Dockerfile (Docker does not run here, so this reads it): a Swift build stage compiling
    /// the executable as `rw build` does, a slim Debian stage running it with public/, and the
    /// RwSDK folder brought in as a named build context when the package depends on it by path.
    @Test func theDockerfileBuildsWithSwiftAndRunsOnSlimDebian() async throws {
        try await withTemporaryDirectory { parent in
            let created = try await CapturedRun.rw(["new", "my-shop", "--path", parent.path, "--sdk-path", Paths.root.path])
            try #require(created.status == 0, "\(created)")
            let app = parent.appendingPathComponent("my-shop")
            let dockerfile = try String(contentsOf: app.appendingPathComponent("Dockerfile"), encoding: .utf8)
            let version = try await CapturedRun.swift(["--version"])
            let toolchain = try #require(version.output.firstMatch(of: /Swift version (\d+\.\d+(\.\d+)?)/)?.1)
            let instructions = dockerfile.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty && !$0.hasPrefix(" ") }
            #expect(
                instructions == [
                    "FROM swift:\(toolchain)-bookworm AS build",
                    "WORKDIR /build",
                    #"COPY --from=rwsdk [".", "\#(Paths.root.path)"]"#,
                    "COPY Package.swift ./",
                    "RUN swift package resolve",
                    "COPY . .",
                    "RUN swift build -c release --static-swift-stdlib --product my-shop \\",
                    "FROM debian:bookworm-slim",
                    "RUN useradd --system --user-group --home-dir /app app",
                    "WORKDIR /app",
                    "COPY --from=build --chown=app:app /staging /app",
                    "USER app",
                    "EXPOSE 8080",
                    #"ENTRYPOINT ["./my-shop", "--host", "0.0.0.0", "--port", "8080", "--public", "/app/public"]"#
                ], "\(dockerfile)")
            #expect(dockerfile.hasPrefix("# syntax=docker/dockerfile:1\n"))
            #expect(dockerfile.contains("#   docker build --build-context rwsdk=\(Paths.root.path) -t my-shop .\n"), "\(dockerfile)")
            #expect(dockerfile.contains(#"cp "$(swift build -c release --show-bin-path)/my-shop" /staging/"#))
            #expect(dockerfile.contains("cp -R public /staging/public"))
            // Only the stripped executable and public/ reach the image; the debug information
            // stays in the build stage.
            #expect(dockerfile.contains("llvm-objcopy --only-keep-debug /staging/my-shop /build/my-shop.debug"))
            #expect(dockerfile.contains("llvm-objcopy --strip-all --add-gnu-debuglink=/build/my-shop.debug /staging/my-shop"))
            let ignored = try String(contentsOf: app.appendingPathComponent(".dockerignore"), encoding: .utf8)
            #expect(ignored.split(separator: "\n").map(String.init) == [".build/", ".rw/", ".swiftpm/", ".git/", "Dockerfile", ".dockerignore"])
        }
    }

    /// Every target of RwSDK's own package but its tests is a name an app cannot take: SwiftPM
    /// refuses two targets of one name in a package graph.
    @Test func refusesTheNameOfEveryTargetOfRwSDK() async throws {
        // A scratch folder of its own: the tests' build holds the lock on .build.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rw-dump-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let manifest = try await CapturedRun.swift(["package", "--package-path", Paths.root.path, "--scratch-path", scratch.path, "dump-package"])
        try #require(manifest.status == 0, "\(manifest)")
        let description = try JSONSerialization.jsonObject(with: Data(manifest.output.utf8)) as? [String: Any]
        let targets = (description?["targets"] as? [[String: Any]] ?? []).filter { $0["type"] as? String != "test" }
        let names = targets.compactMap { $0["name"] as? String }
        try #require(names.contains("RwData") && names.contains("rw"), "no targets in \(manifest.output.prefix(200))")
        try await withTemporaryDirectory { parent in
            for name in names {
                let refused = try await CapturedRun.rw(["new", name, "--path", parent.path])
                #expect(refused.status != 0 && refused.errors.contains("already a module or product of RwSDK"), "rw new \(name): \(refused)")
            }
            // The kebab-case spelling of a module name is refused too: its module would be that name.
            let kebab = try await CapturedRun.rw(["new", "rw-data", "--path", parent.path])
            #expect(kebab.status != 0 && kebab.errors.contains("RwData is already a module"), "\(kebab)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
        }
    }

    @Test func refusesBothSDKOptions() async throws {
        try await withTemporaryDirectory { parent in
            let refused = try await CapturedRun.rw(
                ["new", "blog", "--path", parent.path, "--sdk-path", Paths.root.path, "--sdk-url", "https://github.com/example/rwsdk-swift"])
            #expect(refused.status != 0)
            #expect(refused.errors.contains("--sdk-path and --sdk-url both choose where RwSDK comes from; give one."), "\(refused)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
        }
    }

    /// An `rw` copied out of the checkout without the sources `scripts/install` puts next to it
    /// cannot know where RwSDK is: it says so in one line, writes nothing, and works with an option.
    @Test func aCopiedRwWithoutSourcesAsksForAnSDKOption() async throws {
        try await withTemporaryDirectory { parent in
            let bin = parent.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let copied = bin.appendingPathComponent("rw")
            try FileManager.default.copyItem(at: Paths.rw, to: copied)
            let refused = try await CapturedRun.run(copied, ["new", "blog", "--path", parent.path])
            #expect(refused.status != 0)
            #expect(refused.errorLine.hasPrefix("Error: this rw has no RwSDK sources next to it"), "\(refused)")
            #expect(refused.errorLine.contains("scripts/install") && !refused.errorLine.contains("\n"), "\(refused)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["bin"])

            let accepted = try await CapturedRun.run(copied, ["new", "blog", "--path", parent.path, "--sdk-path", Paths.root.path])
            #expect(accepted.status == 0, "\(accepted)")
        }
    }

    @Test func suggestsPlainRwWhenThisRwIsOnPath() async throws {
        try await withTemporaryDirectory { parent in
            let bin = parent.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("rw"), withDestinationURL: Paths.rw)
            let created = try await CapturedRun.rw(
                ["new", "blog", "--path", parent.path], environment: ["PATH": bin.path + ":" + Self.pathWithoutRw])
            try #require(created.status == 0, "\(created)")
            #expect(created.output.hasSuffix("\n  cd \(parent.path)/blog\n  rw dev\n"), "\(created.output)")
        }
    }

    @Test func refusesAFolderThatIsNotEmptyAndAcceptsAnEmptyOne() async throws {
        try await withTemporaryDirectory { parent in
            let taken = parent.appendingPathComponent("taken")
            try FileManager.default.createDirectory(at: taken, withIntermediateDirectories: true)
            try "mine".write(to: taken.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
            let refused = try await CapturedRun.rw(["new", "taken", "--path", parent.path])
            #expect(refused.status != 0)
            #expect(refused.errorLine == "Error: \(taken.path) already exists and is not empty; choose another name or --path", "\(refused)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: taken.path) == ["notes.txt"])
            #expect(try String(contentsOf: taken.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")

            let empty = parent.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            let accepted = try await CapturedRun.rw(["new", "empty", "--path", parent.path])
            #expect(accepted.status == 0, "\(accepted)")
            #expect(FileManager.default.fileExists(atPath: empty.appendingPathComponent("Package.swift").path))
        }
    }

    @Test(arguments: ["2fast", "my app", "my--app", "shop-", "café", "apps/blog", "rw", "RwSDK", "self", "a.b"])
    func refusesNamesThatAreNotPackageAndModuleNames(name: String) async throws {
        try await withTemporaryDirectory { parent in
            let refused = try await CapturedRun.rw(["new", name, "--path", parent.path])
            #expect(refused.status != 0)
            #expect(refused.errorLine.hasPrefix("Error: \"\(name)\" is "), "\(refused)")
            #expect(!refused.errorLine.contains("\n"), "one line: \(refused)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty, "nothing was written")
        }
    }

    @Test func refusesAnSDKPathWithoutRwSDK() async throws {
        try await withTemporaryDirectory { parent in
            let refused = try await CapturedRun.rw(["new", "blog", "--path", parent.path, "--sdk-path", parent.path])
            #expect(refused.status != 0)
            #expect(refused.errorLine.hasPrefix("Error: --sdk-path \(parent.path): "), "\(refused)")
            #expect(!refused.errorLine.contains("\n"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
        }
    }

    /// Paths of the regular files under `directory`, relative to it and sorted, skipping build
    /// and dev caches.
    static func files(in directory: URL) throws -> [String] {
        let base = directory.standardizedFileURL.path + "/"
        let walker = try #require(FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]))
        var files: [String] = []
        for case let url as URL in walker {
            if [".build", ".rw", ".swiftpm", "Package.resolved"].contains(url.lastPathComponent) {
                walker.skipDescendants()
                continue
            }
            if try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
                files.append(String(url.standardizedFileURL.path.dropFirst(base.count)))
            }
        }
        return files.sorted()
    }

    struct Target: Decodable {
        let name: String
        let type: String
        let product_dependencies: [String]?
    }

    /// The targets in `swift package describe --type json` output (which may start with notes).
    static func targets(describedBy output: String) throws -> [String: Target] {
        struct Description: Decodable { let targets: [Target] }
        let start = try #require(output.firstIndex(of: "{"))
        let description = try JSONDecoder().decode(Description.self, from: Data(output[start...].utf8))
        return Dictionary(uniqueKeysWithValues: description.targets.map { ($0.name, $0) })
    }
}
