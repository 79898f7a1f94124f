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
                app (<name> in UpperCamelCase, e.g. my-app → MyApp; with App appended when that \
                differs from <name> only in case, e.g. blog → BlogApp), an executable target <name> \
                serving it in production, public/client/counter.js and a .gitignore for .build/, \
                .rw/ and Package.resolved, and a Dockerfile (multi-stage: built in the Swift \
                image, run on a slim Debian image) with its .dockerignore. Then prints the \
                commands that start the dev server.

                --template api writes a JSON API instead: accounts with bearer tokens, articles \
                that belong to them, JSON errors, CORS and in-process tests (App.swift, Auth.swift, \
                Store.swift), with an empty public/.

                Until RwSDK has a published URL, the package depends by path on the RwSDK sources \
                this rw comes from: the sources an installed rw ships in <prefix>/share/rwsdk \
                (scripts/install), or the checkout whose .build holds rw (swift run rw). \
                --sdk-path depends on another local copy instead; --sdk-url on a package \
                repository, from version \(Version.sdk).

                A name starts with a letter and holds ASCII letters and digits separated by \
                single "-" or "_". The folder must not exist yet, or be empty: rw new never \
                overwrites anything.

                Examples:
                  rw new my-app
                  rw new my-app --path ~/projects --sdk-path ~/src/rwsdk-swift
                  rw new my-app --sdk-url https://github.com/example/rwsdk-swift
                """
        )

        @Argument(help: "The app's name: the package, its folder and its executable target (e.g. my-app).")
        var name: String

        @Option(help: "The folder to create the app's folder in.", completion: .directory)
        var path: String = "."

        @Option(help: "The kind of app: html (a page, a server action, a client component) or api (a JSON API).")
        var template: AppTemplate.Kind = .html

        @Option(
            name: .customLong("sdk-path"),
            help: "Depend on the RwSDK package in this folder (by absolute path) instead of the sources rw comes from.",
            completion: .directory)
        var sdkPath: String?

        @Option(
            name: .customLong("sdk-url"),
            help: "Depend on the RwSDK package repository at this URL (from version \(Version.sdk)) instead of the sources rw comes from.")
        var sdkURL: String?

        func validate() throws {
            if sdkPath != nil && sdkURL != nil {
                throw ValidationError("--sdk-path and --sdk-url both choose where RwSDK comes from; give one.")
            }
            if let sdkURL, sdkURL.isEmpty || sdkURL.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "\\" }) {
                throw ValidationError("--sdk-url \(sdkURL): not a package URL.")
            }
        }

        func run() throws {
            let appName = try AppName(name)
            let sdk = try sdkReference()
            let parent = Self.absolute(path)
            let directory = parent.appendingPathComponent(appName.package)
            try Self.requireEmptyOrMissing(directory)
            let swiftVersion = Version.toolchain().flatMap(Version.toolchainVersion) ?? Version.compiler
            for file in AppTemplate(name: appName, sdk: sdk, swiftVersion: swiftVersion, kind: template).files {
                let url = directory.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, atomically: true, encoding: .utf8)
            }
            let cd = path == "." ? appName.package : (path as NSString).appendingPathComponent(appName.package)
            print(
                """
                Created \(appName.package) in \(directory.path): app library \(appName.library), executable \(appName.executable).
                \(Self.describe(sdk, chosen: sdkPath != nil))

                Start the dev server:
                  cd \(Shell.quote(cd))
                  \(RwInvocation.command()) dev
                """)
            if !RwInvocation.isOnPath(), let checkout = RwInvocation.buildCheckout(of: RwInvocation.executable) {
                print("(To type just `rw`: \(Shell.quote(checkout.appendingPathComponent("scripts/install").path)) puts it on PATH.)")
            }
        }

        /// Where the package gets RwSDK: the option given, or the sources this `rw` comes from.
        func sdkReference() throws -> AppTemplate.SDKReference {
            if let sdkURL { return .url(sdkURL, from: Version.sdk) }
            if let sdkPath { return .path(try Self.checkout(sdkPath).path) }
            guard let sources = SDKSources.locate() else {
                throw RwError(
                    "this rw has no RwSDK sources next to it (no \(SDKSources.installedRelativePath) beside \(RwInvocation.executable.path), and it is not in an RwSDK checkout's .build); install it with scripts/install, or give --sdk-path or --sdk-url"
                )
            }
            return .path(sources.path)
        }

        /// The one line saying where the package gets RwSDK.
        static func describe(_ sdk: AppTemplate.SDKReference, chosen: Bool) -> String {
            switch sdk {
            case .url(let url, let version):
                return "RwSDK: \(url) from \(version)."
            case .path(let path) where chosen:
                return "RwSDK: by path, \(path)."
            case .path(let path):
                return "RwSDK: by path, \(path) (the sources this rw comes from; RwSDK has no published URL yet; --sdk-url or --sdk-path choose another)."
            }
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

extension AppTemplate.Kind: ExpressibleByArgument {}
