/// The HTML pages the framework and its servers answer with when a request cannot be served
/// normally. Every part of the page is escaped.
public enum ErrorPage {
    /// A complete page for `status` with a short title, a message and an optional detail block
    /// (shown preformatted, such as compiler output or a crash report).
    public static func response(status: ResponseStatus, title: String, message: String, detail: String? = nil) -> RwResponse {
        let page = Fragment {
            RawHTML("<!DOCTYPE html>")
            html(.lang("en")) {
                head {
                    meta(.charset("utf-8"))
                    RwSDK.title("\(status) \(title)")
                    Element(.style) { RawHTML(style) }
                }
                body {
                    main {
                        h1 { "\(status) \(title)" }
                        p { message }
                        if let detail {
                            pre { detail }
                        }
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

    private static let style = """
        body{font-family:system-ui,sans-serif;margin:0;background:#fafafa;color:#222}
        main{max-width:48rem;margin:4rem auto;padding:0 1rem}
        h1{font-size:1.5rem}pre{background:#fff;border:1px solid #ddd;padding:1rem;overflow:auto;white-space:pre-wrap}
        """
}
