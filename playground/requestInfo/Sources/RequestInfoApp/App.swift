import RwSDK

/// The requestInfo app: middleware that gives each request an id, one page, and (once
/// uncommented) one server action.
public let app = defineApp {
    middleware { info in
        info.ctx["requestID"] = nextRequestID()
    }
    render(Document) {
        route("/") { HomePage() }
    }
    // rw-playground: begin action
    // magnitude
    // rw-playground: end action
}
