import Dispatch
import Synchronization

/// A long-lived connection carrying ``Frame``s both ways: any thread or task may send (frames
/// are written whole, one at a time), and one thread reads with ``read(tick:every:onFrame:)``.
public final class FrameConnection: Sendable {
    /// The socket.
    public let socket: UnixSocket
    private let writing = Mutex(())

    /// A connection over `socket`.
    public init(_ socket: UnixSocket) {
        self.socket = socket
    }

    /// Sends `frame` whole, after any frame another thread is sending.
    public func send(_ frame: Frame) throws(WireError) {
        let bytes = frame.bytes
        try writing.withLock { _ throws(WireError) in try socket.send(bytes) }
    }

    /// Reads frames on the calling thread until the connection ends, calling `onFrame` with
    /// each in arrival order (and whether more frames have already arrived after it), and `tick`
    /// at least every `interval` (when given) whether frames arrive or not. Returns `nil` when
    /// the peer closed the connection between frames, or why reading stopped:
    /// ``WireError/closed`` in the middle of a frame, ``WireError/malformed(_:)``.
    public func read(
        tick: () -> Void = {}, every interval: Duration? = nil, onFrame: (_ frame: Frame, _ moreWaiting: Bool) -> Void
    ) -> WireError? {
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let milliseconds = interval.map { Int32(max(1, $0.seconds * 1000)) }
        var lastTick = DispatchTime.now()
        do throws(WireError) {
            // One blocking receive per wait, bounded by the tick interval: no poll before it.
            if let milliseconds { try socket.limitReceiveWait(milliseconds: milliseconds) }
            while true {
                var next = try decoder.next()
                while let frame = next {
                    next = try decoder.next()
                    onFrame(frame, next != nil)
                }
                let count = try socket.receive(into: &buffer)
                if let milliseconds {
                    let now = DispatchTime.now()
                    if now.uptimeNanoseconds - lastTick.uptimeNanoseconds >= UInt64(milliseconds) * 1_000_000 {
                        lastTick = now
                        tick()
                    }
                }
                guard let count else { continue }
                guard count > 0 else { return decoder.hasPartialFrame ? .closed : nil }
                decoder.append(buffer[0..<count])
            }
        } catch {
            return error
        }
    }

    /// Ends the connection both ways: the reading thread returns, sends fail.
    public func shutdown() {
        socket.shutdown()
    }
}
