import RwSDK
import RwWire

/// One socket open in the runner, as the front relays it: the frames the runner sends on the
/// socket's stream, and the sending of the browser's messages, at most a credit window ahead of
/// what the runner has handled.
final class RunnerSocket: Sendable {
    /// The runner's frames on the socket's stream: messages, credit, and its close. The stream
    /// ends without a close when the runner's connection ends (it crashed or restarts).
    let frames: AsyncStream<Frame>
    private let client: MultiplexedClient
    private let stream: UInt32
    private let credits = CreditWindows()

    /// The socket the runner opened on `stream` of `client`, whose frames come in `frames`.
    init(client: MultiplexedClient, stream: UInt32, frames: AsyncStream<Frame>) {
        self.client = client
        self.stream = stream
        self.frames = frames
        credits.open(stream)
    }

    /// Sends a message of the browser to the runner once the runner's credit allows; throws
    /// when the socket closed meanwhile or the connection to the runner broke.
    func send(_ message: SocketMessage) async throws {
        try await credits.take(message.byteCount, on: stream)
        try client.send(Frame(.socketMessage, stream: stream, message.wireBytes))
    }

    /// Takes a ``Frame/Kind/credit`` frame of the runner: it handled that many bytes.
    func granted(_ frame: Frame) {
        guard let credit = try? frame.decode(StreamCredit.self) else { return }
        credits.grant(credit.bytes, to: stream)
    }

    /// Tells the runner that `bytes` of its messages were passed on to the browser.
    func passedOn(_ bytes: Int) {
        client.grant(bytes, to: stream)
    }

    /// Stops sending (a send waiting for credit fails).
    func stopSending() {
        credits.cancel(stream)
    }

    /// Ends the socket from the front's side (the browser went away): the runner is told, and
    /// ``frames`` ends.
    func close() {
        stopSending()
        client.endStream(stream, sending: Frame(.socketClose, stream: stream, json: SocketClosing(.normal)))
    }
}
