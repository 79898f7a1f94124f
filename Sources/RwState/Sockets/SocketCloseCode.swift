/// The close codes RwSDK's sockets end with, and what a client does after each.
///
/// The browser client (`rw.channel`) reconnects and rejoins its topics after every code except
/// ``refused`` while the page still has channels (the production server's shutdown closes its
/// sockets with ``goingAway``); the codes in the 4000 range are RwSDK's own.
public enum SocketCloseCode: UInt16, Sendable, Codable {
    /// The socket was closed on purpose: by its route's handler or by the browser.
    case normal = 1000
    /// The server is shutting down (SIGTERM): reconnect, to another instance or once it is back.
    case goingAway = 1001
    /// A frame broke the channel protocol (not JSON, no topic).
    case protocolError = 1002
    /// A message was larger than the server takes.
    case messageTooLarge = 1009
    /// The code serving the socket went away (the dev runner crashed and restarts): reconnect and
    /// rejoin once it is back.
    case serviceRestart = 1012
    /// The connection did not read what it was sent fast enough: its send queue went over its
    /// bound, so it was closed to keep the server's memory bounded. Reconnecting resumes.
    case slowSubscriber = 4008
    /// The socket was refused for good (an origin or route the server does not take).
    case refused = 4403
}
