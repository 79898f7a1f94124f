/// Content that needs something awaited first (a query, a call to another service): the page
/// is streamed, so everything before it reaches the browser while `load` runs, and `content`
/// renders its result in its place.
///
/// ```swift
/// func UserPage(id: String) -> some HTML {
///     main {
///         h1 { "Profile" }                       // sent at once
///         Await { try await loadUser(id) } content: { user in
///             p { "Hello, \(user.name)" }          // sent when loadUser returns
///         }
///     }
/// }
/// ```
///
/// The response's status and headers are sent before `load` runs: headers set through
/// ``requestInfo`` while it runs arrive too late and are dropped, and an error it throws cannot
/// become an error page. Instead the page ends with a visible notice and the response without its
/// proper end, so the browser and any client know it is incomplete (`rw dev` also shows the error
/// in its overlay). Several `Await`s in one page are awaited one after another, in order.
/// A page rendered with ``HTML/renderedHTML()`` leaves awaited content out.
public struct Await<Value: Sendable>: HTML {
    let load: @Sendable () async throws -> Value
    let content: @Sendable (Value) -> Fragment

    /// Content that renders `content` with what `load` returns.
    public init(
        _ load: @escaping @Sendable () async throws -> Value,
        @HTMLBuilder content: @escaping @Sendable (Value) -> Fragment
    ) {
        self.load = load
        self.content = content
    }

    public func render(into output: inout HTMLOutput) {
        let load = load
        let content = content
        output.append(awaiting: { content(try await load()) })
    }
}
