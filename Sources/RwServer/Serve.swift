import Foundation
import Hummingbird
import Logging
import RwSDK

/// Serves `app` in production on Hummingbird until SIGINT or SIGTERM, then shuts down cleanly:
/// the listener closes and requests in progress complete.
///
/// Once listening it prints `listening on http://HOST:PORT` on standard output (with the real
/// port when `options.port` is 0). Files in `options.publicDirectory` are served for GET
/// requests no route answers.
public func serve(_ app: App, options: ServeOptions) async throws {
    let logger = Logger(label: "rw.server")
    let responder = AppResponder(app: app, environment: .production, maxBodySize: options.maxBodySize)
    let application = Application(
        responder: PublicFilesResponder(directory: options.publicDirectory, inner: responder, logger: logger),
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: "RwSDK"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? options.port
            FileHandle.standardOutput.write(Data("listening on http://\(options.host):\(port)\n".utf8))
        },
        logger: logger
    )
    try await application.runService()
}

/// Parses the process's command-line arguments as ``ServeOptions`` and serves `app`; prints
/// usage and exits on invalid arguments.
public func serve(_ app: App) async throws {
    let options = ServeOptions.parseOrExit()
    try await serve(app, options: options)
}
