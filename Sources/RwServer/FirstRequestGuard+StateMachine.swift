extension FirstRequestGuard {
    /// What a connection that may become a WebSocket does before its first request head is
    /// read: refuse a malformed head, close when it idles, close when the server shuts down;
    /// once the head is read, the HTTP pipeline or the WebSocket takes over.
    ///
    /// A value type that returns what to do; the handler does it.
    struct StateMachine: Equatable {
        /// Whether the first request head is still awaited.
        private(set) var isAwaitingHead = true

        /// What the handler does next.
        enum Action: Equatable {
            /// Nothing (the event passes on when it is not the guard's).
            case none
            /// Answer 400 with `Connection: close`, then close the connection.
            case refuse
            /// Close the connection without an answer.
            case close
            /// Leave the pipeline: what follows is the HTTP pipeline's or the WebSocket's.
            case stepAside
        }

        /// The first request head was read.
        mutating func readHead() -> Action {
            guard isAwaitingHead else { return .none }
            isAwaitingHead = false
            return .stepAside
        }

        /// The HTTP decoder could not parse the bytes received.
        mutating func parseFailed() -> Action {
            guard isAwaitingHead else { return .none }
            isAwaitingHead = false
            return .refuse
        }

        /// The idle timeout passed since the connection opened.
        mutating func idleTimeoutPassed() -> Action {
            guard isAwaitingHead else { return .none }
            isAwaitingHead = false
            return .close
        }

        /// The server is shutting down.
        mutating func quiesce() -> Action {
            guard isAwaitingHead else { return .none }
            isAwaitingHead = false
            return .close
        }
    }
}
