/// What a generation's app image hands the dev runner: its request handler, its channel
/// sockets, and the hash of the deps image it was compiled against.
///
/// It lives in the state module because it crosses from reloaded code into the runner, which
/// links only this module.
public final class ImageEntry: Sendable {
    /// The hash of the deps image the app image was compiled against.
    public let depsHash: String
    /// Answers one request with this generation's code; never throws.
    public let handle: @Sendable (RwRequest) async -> RwResponse
    /// Answers a request refused before its body was read (status, message) as the app answers
    /// that error: its error handler and around-middleware see it; never throws.
    public let refuse: @Sendable (RwRequest, ResponseStatus, String) async -> RwResponse
    /// This generation's channel sockets (relayed by the dev server's front).
    public let sockets: Sockets

    /// Creates an entry; without `sockets`, the generation opens none.
    public init(
        depsHash: String, sockets: Sockets = .none, handle: @escaping @Sendable (RwRequest) async -> RwResponse,
        refuse: @escaping @Sendable (RwRequest, ResponseStatus, String) async -> RwResponse
    ) {
        self.depsHash = depsHash
        self.sockets = sockets
        self.handle = handle
        self.refuse = refuse
    }

    /// The C symbol every app image exports; it returns a retained `ImageEntry` pointer.
    public static let symbol = "rw_image_entry"
}

extension ImageEntry {
    /// How a generation serves channel sockets. The sockets themselves (``SocketPeer``) live in
    /// the state module, so a socket opened under one generation is served by the next: the
    /// runner calls the *current* generation's ``receive`` for each message.
    public struct Sockets: Sendable {
        /// Opens a socket for an upgrade request, or refuses it with the response to give.
        public let open: @Sendable (RwRequest) async -> SocketOpening
        /// Handles one message a browser sent on an open socket.
        public let receive: @Sendable (SocketMessage, SocketPeer) async -> Void
        /// Ends a socket whose browser went away (its topics' `leave` handlers run).
        public let close: @Sendable (SocketPeer) async -> Void
        /// Each topic with subscribers and their socket ids, sorted (for the state inspector).
        public let listing: @Sendable () -> [TopicSubscribers]

        /// Sockets served by these functions.
        public init(
            open: @escaping @Sendable (RwRequest) async -> SocketOpening,
            receive: @escaping @Sendable (SocketMessage, SocketPeer) async -> Void,
            close: @escaping @Sendable (SocketPeer) async -> Void,
            listing: @escaping @Sendable () -> [TopicSubscribers]
        ) {
            self.open = open
            self.receive = receive
            self.close = close
            self.listing = listing
        }

        /// No sockets: every upgrade is refused with 404.
        public static let none = Sockets(
            open: { _ in .refused(RwResponse(status: 404, text: "This app has no sockets.\n")) },
            receive: { _, _ in },
            close: { peer in peer.close(.normal) },
            listing: { [] }
        )
    }
}

/// The outcome of asking a generation to open a socket.
public enum SocketOpening: Sendable {
    /// The socket is open; its peer carries its queue and topics.
    case open(SocketPeer)
    /// The upgrade is refused with this response (403 for another origin, 404 for no socket).
    case refused(RwResponse)
}

/// A topic and the ids of the sockets subscribed to it.
public struct TopicSubscribers: Codable, Sendable, Equatable {
    /// The topic.
    public var topic: String
    /// The subscribed sockets' ids, sorted.
    public var sockets: [UInt64]

    /// Creates a listing entry.
    public init(topic: String, sockets: [UInt64]) {
        self.topic = topic
        self.sockets = sockets
    }
}
