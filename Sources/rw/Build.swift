import ArgumentParser
import Foundation

extension Rw {
    /// `rw build`: compiles the app package for production.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile the app for production.",
            discussion: """
                Runs a release build of the app package (app, RwSDK and RwState linked statically \
                into one executable) and prints the path of the executable. Serve it with \
                `rw preview`, or copy it together with the package's public/ folder.

                Examples:
                  rw build
                  rw build --package-path playground/hello-world
                """
        )

        @OptionGroup var package: PackageOptions

        func run() throws {
            let app = try AppPackage(path: package.packagePath)
            let product = try app.executableProduct(package.product)
            let started = Date()
            try Shell.run(["swift", "build", "--package-path", app.directory.path, "-c", "release", "--product", product])
            let binary = try app.releaseBinDirectory().appendingPathComponent(product)
            print("built \(product) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s → \(binary.path)")
        }
    }
}
