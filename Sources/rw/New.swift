import ArgumentParser
import Foundation
import RwDev

extension Rw {
    /// `rw new`: creates an app package from the hello-world template.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new app package.",
            discussion: """
                Writes a ready app package in a new folder named <name>: the hello-world app (a \
                page, a server action and a client component) with a library target holding the \
                app (<name> in UpperCamelCase, e.g. my-app → MyApp), an executable target <name> \
                serving it in production, public/client/counter.js and a .gitignore for .build/, \
                .rw/ and Package.resolved. Then prints the commands that start the dev server.

                The package depends on RwSDK at \(AppTemplate.publishedURL) from \
                \(AppTemplate.publishedVersion), or on a local checkout with --sdk-path.

                A name starts with a letter and holds ASCII letters and digits separated by \
                single "-" or "_". The folder must not exist yet, or be empty: rw new never \
                overwrites anything.

                Examples:
                  rw new my-app
                  rw new my-app --path ~/projects --sdk-path ~/src/rwsdk-swift
                """
        )

        @Argument(help: "The app's name: the package, its folder and its executable target (e.g. my-app).")
        var name: String

        @Option(help: "The folder to create the app's folder in.", completion: .directory)
        var path: String = "."

        @Option(
            name: .customLong("sdk-path"),
            help: "Depend on the RwSDK checkout in this folder (by absolute path) instead of the published package.",
            completion: .directory)
        var sdkPath: String?

        func run() throws {
            let appName = try AppName(name)
            let sdk = try sdkPath.map { AppTemplate.SDKReference.path(try Self.checkout($0).path) } ?? .published
            let parent = Self.absolute(path)
            let directory = parent.appendingPathComponent(appName.package)
            try Self.requireEmptyOrMissing(directory)
            for file in AppTemplate(name: appName, sdk: sdk).files {
                let url = directory.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, atomically: true, encoding: .utf8)
            }
            let cd = path == "." ? appName.package : (path as NSString).appendingPathComponent(appName.package)
            print("""
                Created \(appName.package) in \(directory.path): app library \(appName.library), executable \(appName.executable).

                Start the dev server:
                  cd \(Shell.quote(cd))
                  \(RwInvocation.command()) dev
                """)
        }

        /// `path` made absolute against the current directory.
        static func absolute(_ path: String) -> URL {
            URL(fileURLWithPath: (path as NSString).expandingTildeInPath, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .standardizedFileURL
        }

        /// The RwSDK checkout at `path`; fails when the folder holds no RwSDK package.
        static func checkout(_ path: String) throws -> URL {
            let directory = absolute(path)
            guard RwInvocation.isRwSDKCheckout(directory) else {
                throw RwError("--sdk-path \(path): \(directory.path) holds no RwSDK package (no Package.swift declaring \"RwSDK\")")
            }
            return directory
        }

        /// Fails unless `directory` is missing or an empty folder.
        static func requireEmptyOrMissing(_ directory: URL) throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return }
            guard isDirectory.boolValue else {
                throw RwError("\(directory.path) already exists and is not a folder; choose another name or --path")
            }
            let contents = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            guard contents.isEmpty else {
                throw RwError("\(directory.path) already exists and is not empty; choose another name or --path")
            }
        }
    }
}
