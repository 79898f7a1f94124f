import RwSDK

/// The hello-world app: one page, one server action, one client component.
public let app = defineApp {
    render(Document) {
        route("/") { HomePage() }
    }
    greet
}
