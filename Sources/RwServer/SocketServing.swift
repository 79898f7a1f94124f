package import HTTPTypes
package import HummingbirdWebSocket
package import NIOCore

/// What serves a server's WebSocket upgrades: the app in process in production
/// (``SocketUpgrade``), or in `rw dev` the front relaying sockets to its runner.
package protocol SocketServing: Sendable {
    /// The sockets' bounds (message size, pings).
    var limits: SocketLimits { get }
    /// Whether the upgrade request `head` is taken, and the handler of its socket when it is.
    func shouldUpgrade(_ head: HTTPRequest, channel: any Channel) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>>
}
