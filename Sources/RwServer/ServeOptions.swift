public import ArgumentParser

/// The command-line options of a production RwSDK server: `--host`, `--port`, `--public`,
/// `--max-body-size`, `--idle-timeout`.
public struct ServeOptions: ParsableArguments, Sendable {
    /// The address to listen on.
    @Option(help: "The address to listen on.")
    public var host: String = "127.0.0.1"

    /// The port to listen on; 0 picks a free port (the chosen port is printed).
    @Option(help: "The port to listen on; 0 picks a free port.")
    public var port: Int = 8080

    /// The folder whose files are served as static assets (client component modules, images …).
    @Option(name: .customLong("public"), help: "The folder served as static assets.")
    public var publicDirectory: String = "public"

    /// The largest accepted request body, in bytes; larger requests are answered with 413.
    @Option(help: "The largest accepted request body in bytes; larger requests get 413.")
    public var maxBodySize: Int = ServeOptions.defaultMaxBodySize

    /// The default body limit, 2 MiB: the production server's and `rw dev`'s, so an upload that
    /// works in development works in production.
    public static let defaultMaxBodySize = 2 * 1024 * 1024

    /// How long, in seconds, a connection may stay without a complete request part (a request
    /// head or a piece of body) before it is closed: bounds clients that send a request very
    /// slowly or never finish it, and idle keep-alive connections. 0 turns the limit off.
    @Option(help: "Seconds a connection may go without a complete request part before it is closed; 0 for never.")
    public var idleTimeout: Double = 30

    /// Options with every default.
    public init() {}
}
