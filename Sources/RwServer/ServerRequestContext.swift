public import Hummingbird
import NIOCore

/// The request context of RwSDK's servers: Hummingbird's core context and the connection the
/// request arrived on, so that a response can end that connection (see
/// ``ConnectionClosingResponder``).
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    /// The connection the request arrived on.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}
