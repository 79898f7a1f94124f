import Foundation
import RwBrowser

/// A component rendered on the server and made interactive in the browser.
///
/// The server renders its HTML and embeds its props as JSON; in the browser the client runtime
/// (see ``clientRuntimeScript()``) imports the component's JavaScript module and calls its
/// `hydrate(element, props, context)` (or default) export with the rendered element. `context`
/// has `callServerAction` and `hot.data`, an object kept for the element while `rw dev` swaps in
/// an edited version of the module (or new props); the module's optional
/// `dispose(element, context)` export runs before such a swap and when the element leaves the page.
public struct ClientComponent<Props: Encodable & Sendable>: Sendable {
    /// The component's name, shown in diagnostics.
    public let name: String
    /// The URL of the JavaScript module that hydrates it, such as `/client/counter.js`. Pages load
    /// it through ``asset(_:)``, with its content's fingerprint.
    public let module: String
    let renderBody: @Sendable (Props) -> Fragment

    /// Renders the component for `props`.
    public func callAsFunction(_ props: Props) -> Element {
        let json =
            (try? FlatJSON.encode(props))
            ?? (try? sharedJSONEncoder.encode(props)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        return Element(.div, [.data("rw-client", name), .data("rw-module", asset(module)), .data("rw-props", json)]) {
            renderBody(props)
        }
    }
}

/// Defines a client component whose server-rendered HTML is `render(props)` and whose browser
/// behaviour is the JavaScript module at `module` (a URL served from the app's `public` folder).
public func clientComponent<Props: Encodable & Sendable>(
    _ name: String,
    module: String,
    @HTMLBuilder render: @escaping @Sendable (Props) -> Fragment
) -> ClientComponent<Props> {
    ClientComponent(name: name, module: module, renderBody: render)
}

/// The `<script>` that loads the client runtime; put it in the document's `<head>` when the app
/// uses client components or calls server actions from JavaScript. It carries the request's
/// Content-Security-Policy nonce when ``securityHeaders(_:)`` made one.
public func clientRuntimeScript() -> Element {
    guard let nonce = currentRequestInfo?[CSPNonce.self] else { return script(src: ClientRuntime.path) }
    return Element(.script, [.type("module"), .src(ClientRuntime.path), .attr("nonce", nonce)])
}

/// The JavaScript served at ``path``: hydrates client components and calls server actions. Its
/// source is Sources/RwBrowser/js/client.js, embedded at build time.
enum ClientRuntime {
    static let path = RwPaths.clientRuntime

    /// The script's bytes (UTF-8).
    static let source: [UInt8] = {
        let script = rw_browser_client_js()
        return Array(UnsafeBufferPointer(start: script.bytes, count: script.count))
    }()

    /// Where the runtime imports its channels module from (`./channel.js` beside it).
    static let channelPath = RwPaths.channelRuntime

    /// The channels module's bytes (Sources/RwBrowser/js/channel.js): `rw.channel`, with
    /// reconnect, rejoin and connection status.
    static let channelSource: [UInt8] = {
        let script = rw_browser_channel_js()
        return Array(UnsafeBufferPointer(start: script.bytes, count: script.count))
    }()
}
