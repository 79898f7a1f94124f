import RwSDK

/// Pages the dev server itself answers with.
enum DevPages {
    /// An error page; in the browser the live-reload script is injected so it updates itself.
    static func error(status: Int, title: String, message: String, detail: String?) -> RwResponse {
        let page = Fragment {
            RawHTML("<!DOCTYPE html>")
            html(.lang("en")) {
                head {
                    meta(.charset("utf-8"))
                    RwSDK.title("\(status) \(title) · rw dev")
                    Element("style") {
                        RawHTML(
                            "body{font:14px system-ui,sans-serif;margin:2rem;color:#222}"
                                + "pre{background:#1e1e1e;color:#eee;padding:1rem;overflow:auto;white-space:pre-wrap}")
                    }
                }
                body {
                    h1 { title }
                    p { message }
                    if let detail, !detail.isEmpty {
                        pre { detail }
                    }
                }
            }
        }
        return RwResponse(
            status: status,
            headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"],
            text: page.renderedHTML()
        )
    }
}
