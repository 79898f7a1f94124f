import ArgumentParser
import Foundation
import RwDev
import RwSubprocess

extension Rw {
    /// `rw migrate`: applies the app's pending migrations and exits.
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the app's pending database migrations.",
            discussion: """
                Builds the app's executable (debug) and runs it with RW_MIGRATE_ONLY=1 in the \
                package's folder: its `prepareOrExit()` (RwData) connects to the database \
                DATABASE_URL names (an SQLite file db.sqlite in the package's folder when unset), \
                applies the migrations not yet recorded in rw_migrations, prints them and exits. \
                A wrong DATABASE_URL, an unreachable server or a failing migration stop it with \
                one line and a non-zero status.

                Examples:
                  rw migrate
                  DATABASE_URL=postgres://app:secret@127.0.0.1:5432/app rw migrate
                """
        )

        @OptionGroup var package: PackageOptions

        func run() throws {
            let app = try AppPackage(path: package.packagePath)
            let product = try app.executableProduct(package.product)
            try Shell.run(["swift", "build", "--package-path", app.directory.path, "--product", product])
            let bin = try Subprocess.capture(["swift", "build", "--package-path", app.directory.path, "--show-bin-path"])
            let binary = URL(fileURLWithPath: bin.trimmingCharacters(in: .whitespacesAndNewlines)).appendingPathComponent(product)
            let process = Process()
            process.executableURL = binary
            process.currentDirectoryURL = app.directory
            var environment = ProcessInfo.processInfo.environment
            environment["RW_MIGRATE_ONLY"] = "1"
            process.environment = environment
            try process.run()
            let status = process.waitForExit()
            guard status == 0 else { throw ExitCode(status) }
        }
    }
}
