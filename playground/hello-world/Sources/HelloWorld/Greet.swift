import RwSDK

/// What the greet action answers.
struct Greeting: Codable, Sendable {
    let message: String
}

/// A server action: greets the name it is sent and says so in a response header.
let greet = serverAction("greet") { input in
    let name = input["name"].flatMap { $0.isEmpty ? nil : $0 } ?? "World"
    requestInfo.response.headers["X-Greeting"] = "Hello, \(name)"
    return Greeting(message: "Hello, \(name)!")
}
