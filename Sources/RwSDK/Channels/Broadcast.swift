/// The process's sockets and their subscriptions, kept in the state module so that sockets
/// opened under one generation of reloaded code are found by the next.
package let socketHub: SocketHub = defineRwState("socketHub") { SocketHub() }

/// Sends `message` to every socket that joined `topic`, in this process and, when the app's
/// database (``defineDatabase``) is PostgreSQL, in every other instance of the app, through
/// `LISTEN`/`NOTIFY`: callable from anywhere (a channel handler, a route, a server action, a
/// background task). Returns how many sockets of this process it was queued for. It never waits for a subscriber: a socket whose send queue is over its bound
/// is closed instead (``SocketCloseCode/slowSubscriber``), so one slow browser cannot hold up
/// the others. The message is encoded once, whatever the number of subscribers.
@discardableResult
public func broadcast(_ topic: String, _ message: some Encodable & Sendable) throws -> Int {
    socketHub.publish(try ChannelFrame.text(ChannelFrame.Outgoing(topic: topic, data: message)), to: topic)
}
