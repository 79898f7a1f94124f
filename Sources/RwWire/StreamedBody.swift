public import RwState

extension MultiplexedClient {
    /// The rest of a streamed answer's body, read from the frames that follow its
    /// ``Frame/Kind/streamStart``: each piece is granted back to the runner as credit when the
    /// next one is asked for (the server has written it by then), so the runner produces no
    /// faster than the client reads. Iterating throws ``WireError/streamFailed(_:)`` when the
    /// runner's producer failed, ``WireError/closed`` when the connection ended first. An
    /// iteration dropped before the end cancels the stream at the runner. Iterate it once.
    public func body(of stream: UInt32, frames: AsyncStream<Frame>) -> RwBodyStream {
        RwBodyStream { [self] in
            let reader = StreamReader(client: self, stream: stream)
            var iterator = frames.makeAsyncIterator()
            var passedOn = 0
            return {
                guard !reader.ended else { return nil }
                if passedOn > 0 {
                    self.grant(passedOn, to: stream)
                    passedOn = 0
                }
                guard let frame = await iterator.next() else {
                    reader.ended = true
                    throw WireError.closed
                }
                switch frame.kind {
                case .chunk:
                    passedOn = frame.payload.count
                    return frame.payload
                case .streamEnd:
                    reader.ended = true
                    if let failure = try frame.decode(StreamEnd.self).failure { throw WireError.streamFailed(failure) }
                    return nil
                default:
                    reader.ended = true
                    self.cancelStream(stream)
                    throw WireError.malformed("a \(frame.kind) frame in a streamed body")
                }
            }
        }
    }
}

/// Cancels a streamed answer at the runner when its reader is dropped before the end.
private final class StreamReader {
    let client: MultiplexedClient
    let stream: UInt32
    var ended = false

    init(client: MultiplexedClient, stream: UInt32) {
        self.client = client
        self.stream = stream
    }

    deinit {
        if !ended { client.cancelStream(stream) }
    }
}
