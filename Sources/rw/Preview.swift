import ArgumentParser
import Foundation
import RwDev

#if canImport(Glibc)
import Glibc
#endif

extension Rw {
    /// `rw preview`: runs the production build locally.
    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the production build of the app.",
            discussion: """
                Runs the executable `rw build` ships (it does not build) with the package's \
                public/ folder as static assets. The server replaces this process, so Ctrl-C or \
                SIGTERM stop it cleanly. The executable also accepts --max-body-size when run \
                directly.

                Examples:
                  rw build && rw preview
                  rw preview --host 0.0.0.0 --port 8080
                """
        )

        @OptionGroup var package: PackageOptions

        @OptionGroup var build: ReleaseBuildOptions

        @Option(help: "The address to listen on.")
        var host: String = "127.0.0.1"

        @Option(help: "The port to listen on; 0 picks a free port.")
        var port: Int = 8080

        func run() throws {
            let app = try AppPackage(path: package.packagePath)
            let product = try app.executableProduct(package.product)
            let binary = DebugInfo.shipped(try app.releaseBinDirectory(build).appendingPathComponent(product))
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw RwError("no production build at \(binary.path); run `rw build` first")
            }
            let arguments = [
                binary.path, "--host", host, "--port", String(port),
                "--public", app.directory.appendingPathComponent("public").path
            ]
            guard FileManager.default.changeCurrentDirectoryPath(app.directory.path) else {
                throw RwError("cannot enter \(app.directory.path)")
            }
            var cArguments = arguments.map { strdup($0) }
            cArguments.append(nil)
            execv(binary.path, cArguments)
            throw RwError("cannot start \(binary.path): \(String(cString: strerror(errno)))")
        }
    }
}
