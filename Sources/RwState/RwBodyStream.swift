/// The rest of a response body, produced piece by piece after the head and the first bytes
/// have been sent: what a streamed page renders after an `await`.
///
/// Pieces are pulled: the next piece is produced only when the server asks for it, after it
/// has written the previous one, so a slow client slows the producer instead of making the
/// server buffer. Iterating throws when producing fails after the first byte; servers then end
/// the response without its proper end (no last chunk), so clients see that it is incomplete.
///
/// It is defined in the state module so that the same type crosses every generation of reloaded
/// code.
public struct RwBodyStream: AsyncSequence, Sendable {
    /// A piece of the body.
    public typealias Element = [UInt8]

    /// Produces the pieces of one iteration, in order; `nil` at the end.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let produce: () async throws -> [UInt8]?

        /// The next piece, or `nil` when the body is complete; throws when producing failed.
        public mutating func next() async throws -> [UInt8]? {
            try await produce()
        }
    }

    private let start: @Sendable () -> () async throws -> [UInt8]?

    /// A stream whose iterations each call `start` once and then the function it returns for
    /// every piece, until that function returns `nil` or throws.
    public init(_ start: @escaping @Sendable () -> () async throws -> [UInt8]?) {
        self.start = start
    }

    /// Starts an iteration.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(produce: start())
    }

    /// A stream over `pieces`, mainly for tests.
    public init(pieces: [[UInt8]]) {
        self.init {
            var rest = pieces[...]
            return { rest.popFirst() }
        }
    }

    /// Every piece, concatenated; throws what producing threw.
    public func collect() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await piece in self { bytes += piece }
        return bytes
    }
}
