import Foundation
import Hummingbird
import Logging
package import NIOCore
public import RwSDK

/// Serves `app` in production on Hummingbird until SIGINT or SIGTERM, then shuts down cleanly:
/// the listener closes, idle connections close at once, and the requests already read complete,
/// their responses written whole before their connection closes; a connection whose response
/// is not written within 10 seconds of the signal (a client that does not read) is closed then.
/// A handler that never returns (a streamed page whose awaited part never ends) still holds the
/// exit after its connection is closed.
///
/// Once listening it prints `listening on http://HOST:PORT` on standard output (with the real
/// port when `options.port` is 0). Files in `options.publicDirectory` are served for GET
/// requests no route answers. Connections that go `options.idleTimeout` seconds without a
/// complete request part are closed; request heads are limited to Hummingbird's defaults
/// (80 KiB of header fields, 1000 fields). A response with `Connection: close` (such as the 413
/// for an oversized body) closes its connection.
///
/// When the app declares channels or WebSocket routes, their requests are upgraded to
/// WebSockets within `socketLimits`; on shutdown those sockets close with code 1001 (going
/// away), which the browser client answers by reconnecting.
public func serve(_ app: App, options: ServeOptions, socketLimits: SocketLimits = SocketLimits()) async throws {
    let logger = Logger(label: "rw.server")
    // `asset(_:)` fingerprints files of the folder this server serves.
    setenv(AssetFingerprints.directoryVariable, URL(fileURLWithPath: options.publicDirectory).path, 1)
    let sockets = app.hasSockets ? SocketUpgrade(app: app, limits: socketLimits) : nil
    let application = ServerAssembly.application(
        responder: AppResponder(app: app, environment: .production, maxBodySize: options.maxBodySize),
        host: options.host,
        port: options.port,
        publicDirectory: options.publicDirectory,
        idleTimeout: options.idleTimeLimit,
        serverName: "RwSDK",
        sockets: sockets,
        logger: logger,
        onListening: { port in
            FileHandle.standardOutput.write(Data("listening on http://\(options.host):\(port)\n".utf8))
        }
    )
    try await ServerAssembly.run(application, host: options.host, port: options.port, sockets: sockets)
}

/// Reads ``ServeOptions`` from the environment (`RW_HOST`, `RW_PORT` …) and the process's
/// command-line arguments (which win) and serves `app`; prints usage and exits on invalid
/// arguments or variables.
///
/// When the server cannot listen or stops with an error, it writes one line to standard error
/// (for a port in use: the port and, when the system tells, the process holding it) and exits
/// with status 1, instead of the trap that an error thrown from top-level code would be. It does
/// not throw; it is `throws` so that `try await serve(app)` entry points stay valid.
public func serve(_ app: App) async throws {
    let options = ServeOptions.parseOrExit(environment: ProcessInfo.processInfo.environment)
    let problem: String
    do {
        try await serve(app, options: options)
        return
    } catch let error as PortInUseError {
        problem = error.description
    } catch {
        problem = "the server stopped: \(error)"
    }
    FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
    exit(1)
}

extension ServeOptions {
    /// `seconds` as a server's idle limit; `nil` when it is 0 (or negative, or not finite).
    package static func idleTimeLimit(seconds: Double) -> TimeAmount? {
        guard seconds.isFinite, seconds > 0 else { return nil }
        return .nanoseconds(Int64(min(seconds, 86_400 * 365) * 1_000_000_000))
    }

    /// `idleTimeout` as the server's limit; `nil` when it is 0 (or negative, or not finite).
    var idleTimeLimit: TimeAmount? { Self.idleTimeLimit(seconds: idleTimeout) }
}
