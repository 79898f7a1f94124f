import ArgumentParser
import Foundation
import RwDev

extension Rw {
    /// `rw build`: compiles the app package for production.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile the app for production.",
            discussion: """
                Runs a release build of the app package: app, RwSDK, its dependencies and the \
                Swift runtime (Foundation included) linked statically into one executable \
                (--static-swift-stdlib), then shipped stripped in dist/ next to SwiftPM's output: \
                its debug information goes to dist/<executable>.debug, which debuggers and \
                symbolizers find through the executable's debug link, so a crash can still be \
                symbolicated; deploy the executable alone. Prints the executable's path and size, and the shared \
                libraries it needs at run time as ldd lists them: the C library and the C++ \
                runtime, no Swift. Serve it with `rw preview`, or copy it together with the \
                package's public/ folder to a Linux machine without Swift (the Dockerfile that \
                `rw new` writes does the same in a container).

                Examples:
                  rw build
                  rw build --package-path playground/hello-world
                  rw build --scratch-path /cache/release && rw preview --scratch-path /cache/release
                """
        )

        @OptionGroup var package: PackageOptions

        @OptionGroup var build: ReleaseBuildOptions

        func run() throws {
            let app = try AppPackage(path: package.packagePath)
            let product = try app.executableProduct(package.product)
            let started = Date()
            try build.forgetPlans()
            try Shell.run(Self.command(package: app.directory, product: product) + build.swiftBuildArguments)
            let linked = try app.releaseBinDirectory(build).appendingPathComponent(product)
            let split = try DebugInfo.ship(linked)
            let binary = DebugInfo.shipped(linked)
            let size = (try FileManager.default.attributesOfItem(atPath: binary.path)[.size] as? Int) ?? 0
            print(
                "built \(product) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s → \(binary.path) (\(Self.mebibytes(size)), stripped)"
            )
            let debug = DebugInfo.debugFile(of: binary)
            if let split {
                print("debug information → \(debug.path) (\(Self.mebibytes(split.debugFile)); as linked, with it: \(Self.mebibytes(split.linked)))")
            } else {
                print("debug information → \(debug.path) (unchanged: nothing was linked anew)")
            }
            print(try RuntimeNeeds.of(binary).summary)
        }

        /// `bytes` in MiB with one decimal, such as "42.3 MiB".
        static func mebibytes(_ bytes: Int) -> String {
            String(format: "%.1f MiB", Double(bytes) / 1_048_576)
        }

        /// The build command: release, with the Swift runtime linked statically.
        static func command(package: URL, product: String) -> [String] {
            ["swift", "build", "--package-path", package.path, "-c", "release", "--static-swift-stdlib", "--product", product]
        }
    }
}
