public import ArgumentParser

/// The command-line options of a production RwSDK server: `--host`, `--port`, `--public`,
/// `--max-body-size`, `--idle-timeout`; each may also come from an environment variable
/// (``environmentVariables``), which a flag on the command line overrides.
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
    public var idleTimeout: Double = ServeOptions.defaultIdleTimeout

    /// The default idle limit, 30 seconds: the production server's and `rw dev`'s.
    public static let defaultIdleTimeout: Double = 30

    /// Options with every default.
    public init() {}

    /// The environment variable for each option: `RW_HOST`, `RW_PORT`, `RW_PUBLIC`,
    /// `RW_MAX_BODY_SIZE`, `RW_IDLE_TIMEOUT`.
    public static let environmentVariables: KeyValuePairs<String, String> = [
        "RW_HOST": "--host",
        "RW_PORT": "--port",
        "RW_PUBLIC": "--public",
        "RW_MAX_BODY_SIZE": "--max-body-size",
        "RW_IDLE_TIMEOUT": "--idle-timeout"
    ]

    /// Options from `environment` (see ``environmentVariables``) and then `arguments`, so a
    /// flag wins over its variable. Throws a parse error naming the variable when a variable's
    /// value is not valid for its option, and as ``parse(_:)`` does for the arguments.
    public static func parse(_ arguments: [String], environment: [String: String]) throws -> ServeOptions {
        var fromEnvironment: [String] = []
        for (variable, flag) in environmentVariables {
            guard let value = environment[variable] else { continue }
            do {
                _ = try parse([flag, value])
            } catch {
                throw ValidationError("\(variable)=\(value) is not a valid value for \(flag): \(message(for: error))")
            }
            fromEnvironment += [flag, value]
        }
        // For an option given more than once, the last value is used: the command line's.
        return try parse(fromEnvironment + arguments)
    }

    /// ``parse(_:environment:)`` of the process's arguments; prints the error and usage and
    /// exits when they or the variables are invalid.
    public static func parseOrExit(environment: [String: String]) -> ServeOptions {
        do {
            return try parse(Array(CommandLine.arguments.dropFirst()), environment: environment)
        } catch {
            exit(withError: error)
        }
    }
}
