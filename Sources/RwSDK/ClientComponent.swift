import Foundation

/// A component rendered on the server and made interactive in the browser.
///
/// The server renders its HTML and embeds its props as JSON; in the browser the client runtime
/// (see ``clientRuntimeScript()``) imports the component's JavaScript module and calls its
/// `hydrate(element, props)` (or default) export with the rendered element.
public struct ClientComponent<Props: Encodable & Sendable>: Sendable {
    /// The component's name, shown in diagnostics.
    public let name: String
    /// The URL of the JavaScript module that hydrates it, such as `/client/counter.js`. Pages load
    /// it through ``asset(_:)``, with its content's fingerprint.
    public let module: String
    let renderBody: @Sendable (Props) -> Fragment

    /// Renders the component for `props`.
    public func callAsFunction(_ props: Props) -> Element {
        let json = (try? FlatJSON.encode(props))
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

/// The JavaScript served at ``path``: hydrates client components and calls server actions.
enum ClientRuntime {
    static let path = "/_rw/client.js"

    static let source = """
        // RwSDK client runtime: hydrates client components and calls server actions.
        export async function callServerAction(id, payload) {
          return fetch(`/_rw/action/${encodeURIComponent(id)}`, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json" },
            body: JSON.stringify(payload ?? {}),
          });
        }

        export async function hydrate(root = document) {
          for (const element of root.querySelectorAll("[data-rw-client]")) {
            if (element.rwHydrated) continue;
            element.rwHydrated = true;
            try {
              const module = await import(element.dataset.rwModule);
              const props = JSON.parse(element.dataset.rwProps ?? "null");
              await (module.hydrate ?? module.default)(element, props, { callServerAction });
              element.dataset.rwHydrated = "true";
            } catch (error) {
              console.error(`RwSDK: client component ${element.dataset.rwClient} failed to hydrate`, error);
            }
          }
        }

        // A server action's <form> with data-rw-output="ID" is sent with fetch instead of
        // navigating; the action's JSON result becomes the text of the element with that id.
        document.addEventListener("submit", async (event) => {
          const form = event.target;
          const outputID = form.dataset?.rwOutput;
          if (!outputID || !new URL(form.action).pathname.startsWith("/_rw/action/")) return;
          event.preventDefault();
          const output = document.getElementById(outputID);
          const response = await fetch(form.action, {
            method: "POST",
            headers: { accept: "application/json" },
            body: new URLSearchParams(new FormData(form)),
          });
          if (output) output.textContent = await response.text();
          form.dispatchEvent(new CustomEvent("rw:action-result", { detail: { response }, bubbles: true }));
        });

        window.rw = { callServerAction, hydrate };
        hydrate();

        """
}
