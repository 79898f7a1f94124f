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
                (--static-swift-stdlib). Prints the executable's path and size, and the shared \
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
            let binary = try app.releaseBinDirectory(build).appendingPathComponent(product)
            let size = (try FileManager.default.attributesOfItem(atPath: binary.path)[.size] as? Int) ?? 0
            print(
                "built \(product) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s → \(binary.path) (\(String(format: "%.1f", Double(size) / 1_048_576)) MiB)"
            )
            print(try RuntimeNeeds.of(binary).summary)
        }

        /// The build command: release, with the Swift runtime linked statically.
        static func command(package: URL, product: String) -> [String] {
            ["swift", "build", "--package-path", package.path, "-c", "release", "--static-swift-stdlib", "--product", product]
        }
    }
}
