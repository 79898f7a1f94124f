package import RwState

extension Database {
    /// Carries `hub`'s broadcasts to the other instances of the app and theirs to `hub`'s
    /// subscribers, when this database is PostgreSQL (see ``PostgresBroadcasts``: `LISTEN`/
    /// `NOTIFY` on this pool, which lends one of its connections to listening; an envelope of
    /// 8000 bytes or more goes through the table `rw_broadcasts`). On SQLite (one instance)
    /// broadcasts stay in process and this does nothing. ``defineDatabase(_:migrations:configuration:minimumConnections:maximumConnections:)``
    /// calls it for the app's database, once per process.
    package func fanOutBroadcasts(through hub: SocketHub) {
        #if PostgreSQL
        guard let backend = backend as? PostgresBackend, broadcasts.withLock({ $0 == nil }) else { return }
        let fanOut = PostgresBroadcasts(client: backend.client, logger: backend.logger) { topic, message in
            hub.deliver(message, to: topic)
        }
        broadcasts.withLock { $0 = fanOut }
        hub.relayBroadcasts(to: fanOut.publish)
        #endif
    }
}
