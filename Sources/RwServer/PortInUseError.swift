/// The server could not listen because its port is already in use: one line naming the port and,
/// when the system tells, the process holding it (see ``PortAvailability/inUseMessage(host:port:)``).
package struct PortInUseError: Error, CustomStringConvertible {
    package let description: String

    /// The error for `port` on `host`, naming its holder as /proc tells now.
    package init(host: String, port: Int) {
        description = PortAvailability.inUseMessage(host: host, port: port)
    }
}
