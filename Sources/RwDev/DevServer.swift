import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import RwSDK
import RwServer

/// Settings of a `rw dev` session.
package struct DevOptions: Sendable {
    /// The app package's directory.
    package var packagePath: String
    /// The app's library target; found automatically when `nil`.
    package var target: String?
    /// The address to listen on.
    package var host: String
    /// The port to listen on; 0 picks a free one.
    package var port: Int
    /// Whether to print build commands and their output.
    package var verbose: Bool
    /// How long a request waits at the gate for a build before it gets a 503 page.
    package var gateTimeout: Duration
    /// How long a handler may run before its request gets a 504 page and the handler is
    /// cancelled; `nil` for no limit. A handler that has not returned as long again later (at
    /// most 5 s) makes the runner restart.
    package var requestTimeout: Duration?
    /// The largest accepted request body in bytes (larger ones get 413); production's default.
    package var maxBodySize: Int
    /// Seconds a connection may go without a complete request part before it is closed (0:
    /// never); production's default.
    package var idleTimeout: Double

    /// Creates options.
    package init(
        packagePath: String = ".", target: String? = nil, host: String = "127.0.0.1", port: Int = 5173,
        verbose: Bool = false, gateTimeout: Duration = .seconds(120), requestTimeout: Duration? = .seconds(30),
        maxBodySize: Int = ServeOptions.defaultMaxBodySize, idleTimeout: Double = ServeOptions.defaultIdleTimeout
    ) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxBodySize = maxBodySize
        self.packagePath = packagePath
        self.target = target
        self.host = host
        self.port = port
        self.verbose = verbose
        self.gateTimeout = gateTimeout
    }
}

/// The development server: builds the app into generations of images, loads them into a runner
/// process, and serves them with live reload until SIGINT or SIGTERM.
package enum DevServer {
    /// Runs a session; returns after a clean shutdown.
    package static func run(_ options: DevOptions) async throws {
        let terminal = Terminal(verbose: options.verbose)
        if options.host != "127.0.0.1" && options.host != "localhost" && options.host != "::1" {
            terminal.report(.exposed(host: options.host))
        }
        // Before any build: finding out only after minutes of compiling would waste them.
        let lock = try SessionLock.acquire(packageDirectory: URL(fileURLWithPath: options.packagePath).standardizedFileURL)
        defer { withExtendedLifetime(lock) {} }
        if PortAvailability.isInUse(host: options.host, port: options.port) {
            throw PortInUseError(host: options.host, port: options.port)
        }
        let plan = try StartPlan.make(directory: try DevPackage.locate(options.packagePath), target: options.target)
        let package = plan.package
        // The runner inherits the environment: `asset(_:)` fingerprints files of the folder the
        // front serves.
        setenv(AssetFingerprints.directoryVariable, package.directory.appendingPathComponent("public").path, 1)
        terminal.report(.sessionStarted(folder: package.directory.lastPathComponent, appTarget: package.appTarget))
        let session = try await DevSession(plan: plan, terminal: terminal, requestTimeout: options.requestTimeout)
        try await session.start()

        let publicFolder = package.directory.appendingPathComponent("public")
        let watcher = try SourceWatcher(roots: package.watchedFolders, files: package.watchedManifests, publicFolder: publicFolder)
        let jobs = Task { await session.runJobs() }
        let precompiling = Task(priority: .background) { await session.precompileDeclaredDependencies() }
        let watching = Task {
            for await files in watcher.changes() {
                // A public file needs no build: open pages apply it in place.
                let sources = files.filter { !watcher.isPublic($0) }
                if !sources.isEmpty { session.filesChanged(sources) }
                for file in files where watcher.isPublic(file) {
                    await session.publicFileChanged(String(file.dropFirst(publicFolder.path.count)))
                }
            }
        }
        // A target or path dependency added to Package.swift is watched from the reload that
        // reads it on.
        let following = Task {
            for await package in session.packages {
                do {
                    try watcher.watch(roots: package.watchedFolders, files: package.watchedManifests)
                } catch {
                    terminal.report(.watchFailed("\(error)"))
                }
            }
        }
        defer {
            jobs.cancel()
            watching.cancel()
            following.cancel()
            precompiling.cancel()
            session.runner.stop()
        }

        var logger = Logger(label: "rw.dev")
        logger.logLevel = options.verbose ? .info : .warning
        // The production server's assembly: the same limits, idle timeout, closing and public
        // files, around the dev responder. The front serves one developer's requests while the
        // runner does the work: one event loop thread serves them, and a runner's answer wakes
        // only that thread (see `EventLoopExecutor`).
        let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let application = ServerAssembly.application(
            responder: DevResponder(session: session, gateTimeout: options.gateTimeout, maxBodySize: options.maxBodySize),
            host: options.host,
            port: options.port,
            publicDirectory: package.directory.appendingPathComponent("public").path,
            idleTimeout: ServeOptions.idleTimeLimit(seconds: options.idleTimeout),
            serverName: "rw-dev",
            sockets: SocketRelay(session: session, gateTimeout: options.gateTimeout),
            eventLoopGroup: .shared(eventLoops),
            logger: logger,
            onListening: { port in
                terminal.report(.listening(host: options.host, port: port))
            }
        )
        defer { eventLoops.shutdownGracefully { _ in } }
        try await withTaskExecutorPreference(EventLoopExecutor(eventLoops)) {
            try await ServerAssembly.run(application, host: options.host, port: options.port)
        }
    }
}
