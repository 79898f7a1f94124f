import RwSDK

/// What the greet action answers.
struct Greeting: Codable, Sendable {
    let message: String
}

/// A server action: greets the name it is sent, says so in a response header, and keeps the
/// greeting in the visitor's session (a signed cookie) for the home page to show.
let greet = serverAction("greet") { input in
    let name = input["name"].flatMap { $0.isEmpty ? nil : $0 } ?? "World"
    requestInfo.response.headers["X-Greeting"] = "Hello, \(name)"
    requestInfo.session["lastGreeting"] = "Hello, \(name)"
    return Greeting(message: "Hello, \(name)!")
}
