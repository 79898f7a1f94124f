extension DrainingCloseHandler {
    /// When a connection of a server shutting down may close: once every request read on it has
    /// its response's end written, or at once when none is pending, or when the bound passes.
    ///
    /// A value type that returns what to do; the handler does it.
    struct StateMachine: Equatable {
        /// Requests whose head was read and whose response's end is not written yet.
        private(set) var pending = 0
        /// Whether the server asked the connection to quiesce.
        private(set) var isQuiescing = false

        /// What the handler does next.
        enum Action: Equatable {
            /// Nothing.
            case none
            /// Close the connection now.
            case close
            /// Close the connection once its pending responses are written, and at the latest
            /// when the bound passes.
            case closeAtTheLatestWhenTheBoundPasses
        }

        /// A request's head was read.
        mutating func readRequestHead() {
            pending += 1
        }

        /// A response's end was written to the socket (or failed to be: the connection is gone).
        mutating func wroteResponseEnd() -> Action {
            // A response the server writes on its own (a 400 for an unparsable head) has no head read.
            pending = max(0, pending - 1)
            return isQuiescing && pending == 0 ? .close : .none
        }

        /// The server is shutting down.
        mutating func quiesce() -> Action {
            guard !isQuiescing else { return .none }
            isQuiescing = true
            return pending == 0 ? .close : .closeAtTheLatestWhenTheBoundPasses
        }
    }
}
