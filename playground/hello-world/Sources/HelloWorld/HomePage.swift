import RwSDK

/// The home page: a server component.
func HomePage() -> some HTML {
    main {
        h1 { "Hello, World!" }
        p { "This page was rendered on the server for \(requestInfo.request.path)." }
        Counter(CounterProps(start: 0))
        p(.class("last-greeting")) { requestInfo.session["lastGreeting"] ?? "No greeting yet." }
        form(action: greet) {
            input(.name("name"), .attr("placeholder", "Your name"))
            button(.type("submit")) { "Greet" }
        }
    }
}
