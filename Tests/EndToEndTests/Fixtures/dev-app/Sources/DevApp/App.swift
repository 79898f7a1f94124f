import Foundation
import RwSDK

// The dev server tests edit this line.
let marker = "v0"

// A module-level global: every generation starts with a fresh copy.
nonisolated(unsafe) var globalHits = 0

public let app = defineApp {
    middleware { info in info.ctx["requestID"] = info.request.headers["X-Request-ID"] ?? "none" }
    route("/") { RwResponse(text: "marker=\(marker)") }
    route("/page") { p { "marker=\(marker)" } }
    route("/counter") {
        globalHits += 1
        let kept = updateRwState("counter", initializer: { 0 }) { value -> Int in
            value += 1
            return value
        }
        return RwResponse(text: "\(marker) kept=\(kept) global=\(globalHits)")
    }
    // Waits until /release (served by a newer generation) lets it go, then calls that
    // generation's code, which reads this request's requestInfo.
    route("/span") {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        setRwState("span.release", continuation)
        for await _ in stream { break }
        requestInfo.response.headers["X-Span"] = "started-on-\(marker)"
        let hook = getRwState("span.hook", as: (@Sendable () -> String).self)
        return RwResponse(text: "started=\(marker) hook=\(hook?() ?? "missing")")
    }
    route("/release") {
        let hook: @Sendable () -> String = {
            "\(marker) read path=\(requestInfo.request.path) id=\(requestInfo.ctx["requestID"] as? String ?? "?")"
        }
        setRwState("span.hook", hook)
        getRwState("span.release", as: AsyncStream<String>.Continuation.self)?.yield("go")
        return RwResponse(text: "released")
    }
    route("/trap") { () -> RwResponse in fatalError("trap requested by the test") }
}
