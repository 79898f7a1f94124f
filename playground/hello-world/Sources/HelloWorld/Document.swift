import RwSDK

/// The HTML document every page is rendered in.
@HTMLBuilder
func Document(_ content: any HTML) -> Fragment {
    html(.lang("en")) {
        head {
            meta(.charset("utf-8"))
            title("Hello World · RwSDK")
            link(.rel("stylesheet"), .href(asset("/styles.css")))
            clientRuntimeScript()
        }
        body {
            content
        }
    }
}
