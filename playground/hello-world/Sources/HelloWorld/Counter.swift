import RwSDK

/// The counter's props, sent to the browser as JSON.
struct CounterProps: Codable, Sendable {
    let start: Int
}

/// A client component: rendered here, made interactive by public/client/counter.js.
let Counter = clientComponent("Counter", module: "/client/counter.js") { (props: CounterProps) in
    button(.type("button"), .class("counter")) { "Clicked \(props.start) times" }
}
