import ArgumentParser
import RwDev
import RwServer

extension Rw {
    /// `rw dev`: the hot-reloading development server.
    struct Dev: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the app with hot reload.",
            discussion: """
                Compiles the app's dependencies once into a deps image, then compiles the app \
                target into a new app image on every save and loads it into a runner process \
                without restarting it: state kept with defineRwState survives every reload. \
                Requests wait while a build runs; a compile error keeps the last good version \
                serving and shows the error in the browser. Pages reload themselves after each \
                change. The state inspector is at /_rw/state.

                The app package needs a library target that depends on RwSDK and declares \
                `public let app = defineApp { … }` (`rw new` creates one; see also \
                playground/hello-world). Build caches live in the package's .rw/ folder. The \
                port is checked before anything is built: when another process holds it, rw dev \
                says which and stops.

                Examples:
                  rw dev
                  rw dev --package-path playground/hello-world --port 8000
                """
        )

        @Option(name: .customLong("package-path"), help: "The app package's folder.", completion: .directory)
        var packagePath: String = "."

        @Option(help: "The library target holding the app, when several depend on RwSDK.")
        var target: String?

        @Option(help: "The address to listen on. Anything but loopback exposes the dev server to the network.")
        var host: String = "127.0.0.1"

        @Option(help: "The port to listen on; 0 picks a free port.")
        var port: Int = 5173

        @Option(
            name: .customLong("request-timeout"),
            help: """
                Seconds a request handler may run before the request gets a 504 page and the \
                handler is cancelled; a handler that has not returned as long again later (at most \
                5 s) makes the runner restart. 0 for no limit.
                """)
        var requestTimeout: Double = 30

        @Option(help: "The largest accepted request body in bytes; larger requests get 413 (as in production).")
        var maxBodySize: Int = ServeOptions.defaultMaxBodySize

        @Option(help: "Seconds a connection may go without a complete request part before it is closed; 0 for never (as in production).")
        var idleTimeout: Double = ServeOptions.defaultIdleTimeout

        @Flag(help: "Print the build commands and the server's own logs.")
        var verbose = false

        func validate() throws {
            guard requestTimeout >= 0, requestTimeout.isFinite else {
                throw ValidationError("--request-timeout must be a number of seconds, 0 or more.")
            }
            guard idleTimeout >= 0, idleTimeout.isFinite else {
                throw ValidationError("--idle-timeout must be a number of seconds, 0 or more.")
            }
            guard maxBodySize > 0 else {
                throw ValidationError("--max-body-size must be a number of bytes, 1 or more.")
            }
        }

        func run() async throws {
            try await DevServer.run(
                DevOptions(
                    packagePath: packagePath, target: target, host: host, port: port, verbose: verbose,
                    requestTimeout: requestTimeout > 0 ? .milliseconds(Int64(requestTimeout * 1000)) : nil,
                    maxBodySize: maxBodySize, idleTimeout: idleTimeout))
        }
    }
}
