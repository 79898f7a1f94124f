import ArgumentParser

/// The `rw` command: builds and serves RwSDK apps.
@main
struct Rw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rw",
        abstract: "Build and serve RwSDK apps.",
        discussion: """
            An RwSDK app is a Swift package with a library target holding the app and an \
            executable target that serves it in production (see playground/hello-world).

              rw new       create an app package from the hello-world template
              rw dev       serve the app with hot reload (state survives every reload)
              rw build     compile the app for production (release configuration)
              rw preview   run that production build locally
              rw migrate   apply the app's pending database migrations (RwData)

            Start with `rw new my-app`, then `cd my-app` and `rw dev`. Commands that work on \
            an app package use the current folder unless given --package-path. \
            `rw help <command>` explains each command and its options.
            """,
        subcommands: [New.self, Dev.self, Build.self, Preview.self, Migrate.self]
    )

    @Flag(help: "Print the RwSDK version, the compiler rw was built with, the toolchain that builds apps and where the RwSDK sources are.")
    var version = false

    func run() async throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(Version.report())
    }
}

/// Options shared by commands that work on an app package.
struct PackageOptions: ParsableArguments {
    @Option(name: .customLong("package-path"), help: "The app package's folder.", completion: .directory)
    var packagePath: String = "."

    @Option(help: "The executable product that serves the app; needed only when the package has several.")
    var product: String?
}
