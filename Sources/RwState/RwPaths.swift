/// The paths RwSDK serves under `/_rw/`, in one place, so that the app, the dev server and the
/// pages they write agree on them. (The browser runtime's `.js` files spell the few they fetch.)
package enum RwPaths {
    /// The prefix of every framework path. Apps should not declare routes under it.
    package static let prefix = "/_rw/"
    /// Server actions: `/_rw/action/<id>`.
    package static let actionPrefix = "/_rw/action/"
    /// The client component runtime.
    package static let clientRuntime = "/_rw/client.js"
    /// The channel client.
    package static let channelRuntime = "/_rw/channel.js"
    /// The WebSocket endpoint of an app's channels.
    package static let socket = "/_rw/socket"
    /// `rw dev`'s live events (server-sent events).
    package static let events = "/_rw/events"
    /// `rw dev`'s state inspector, as HTML.
    package static let state = "/_rw/state"
    /// `rw dev`'s state inspector, as JSON.
    package static let stateJSON = "/_rw/state.json"
    /// `rw dev`'s live-reload script.
    package static let liveScript = "/_rw/live.js"
    /// `rw dev`'s in-place page update script.
    package static let morphScript = "/_rw/morph.js"
    /// `rw dev`'s error overlay script.
    package static let overlayScript = "/_rw/overlay.js"
}
