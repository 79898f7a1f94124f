// The production server the fault-injection tests (Tests/RwServerTests) start as a child process:
// a small app served by `serve(app)` with the command-line options of any RwSDK app.
import Foundation
import RwSDK
import RwServer

/// Echoes a form or JSON field back, in the body and in a response header.
let echo = serverAction("echo") { input in
    requestInfo.response.headers["X-Echo"] = input["name"] ?? ""
    return ["name": input["name"] ?? "", "bytes": "\(input.body.count)"]
}

let app = defineApp {
    // Copies a request header into ctx, as apps do with auth tokens or trace ids.
    middleware { info in info.ctx["trace"] = info.request.headers["X-Trace"] ?? "" }
    // Keeps a large value in ctx for the request's lifetime (at most 16 MiB).
    middleware { info in
        if let megabytes = info.request.headers["X-Ctx-MiB"].flatMap(Int.init), (1...16).contains(megabytes) {
            let blob = [UInt8](repeating: 7, count: megabytes << 20)
            info.ctx["blob"] = blob
            if Counters.retainsCtx { Counters.retained.withLock { $0.append(blob) } }
        }
    }
    route("/") { RwResponse(text: "ok") }
    // Channels (so every fault test runs against the WebSocket upgrade pipeline): every text
    // sent to a `room:` topic is broadcast to it.
    channel("room:*", receiving: String.self, message: { event, text in try broadcast(event.topic, text) })
    // Broadcasts `count` messages of 16 KiB to a topic; answers how many were queued in all.
    route("/flood/:topic/:count") { info in
        let text = String(repeating: "f", count: 16 << 10)
        var queued = 0
        for _ in 0..<(info.params["count"].flatMap(Int.init) ?? 0) { queued += try broadcast(info.params["topic"] ?? "", text) }
        return RwResponse(text: "\(queued)")
    }
    route("/items", methods: [.post]) { RwResponse(status: 201, text: "created") }
    // Sets two cookies from concurrent child tasks.
    route("/cookies") { () -> RwResponse in
        async let first: Void = requestInfo.response.setCookie(Cookie(name: "first", value: "1"))
        async let second: Void = requestInfo.response.setCookie(Cookie(name: "second", value: "2", maxAge: 60))
        _ = await (first, second)
        return RwResponse(text: requestInfo.request.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
    }
    route("/echo/:value") { info in RwResponse(text: info.params["value"] ?? "") }
    route("/asset") { RwResponse(text: asset("/client/app.js")) }
    route("/query") { info in RwResponse(text: info.request.query.raw) }
    route("/trace") { () -> RwResponse in
        let trace = requestInfo.ctx["trace"] as? String ?? ""
        requestInfo.response.headers["X-Trace-Length"] = "\(trace.utf8.count)"
        requestInfo.response.headers["X-Trace"] = trace
        return RwResponse(text: trace)
    }
    route("/ctx-size") { RwResponse(text: "\((requestInfo.ctx["blob"] as? [UInt8])?.count ?? 0)") }
    // `size` bytes (at most 16 MiB) whose first line is the index, and how many of these
    // requests the app has begun to handle.
    route("/bytes/:size/:index") { info in
        Counters.bytesHandled.add(1, ordering: .relaxed)
        var body = Array((info.params["index"] ?? "").utf8) + [10]
        let size = info.params["size"].flatMap(Int.init).map { min($0, 16 << 20) } ?? 0
        if size > body.count { body += [UInt8](repeating: UInt8(ascii: "b"), count: size - body.count) }
        return RwResponse(body: body)
    }
    route("/bytes-handled") { RwResponse(text: "\(Counters.bytesHandled.load(ordering: .relaxed))") }
    // A streamed page: its first part at once, the rest once latch `key` is opened
    // (`/open/key`); with `?fail` the awaited part throws instead.
    route("/stream/:key") { info -> Element in
        let key = info.params["key"] ?? ""
        let fails = info.request.query["fail"] != nil
        return html {
            body {
                h1 { "before the wait" }
                Await { () async throws -> String in
                    await Latches.wait(key)
                    if fails { throw HTTPStatusError(500, "the awaited part failed") }
                    return "after the wait"
                } content: { text in
                    p { text }
                }
            }
        }
    }
    route("/open/:key") { info in
        Latches.open(info.params["key"] ?? "")
        return RwResponse(text: "opened")
    }
    route("/files/*/edit") { info in RwResponse(text: info.params["$0"] ?? "") }
    echo
}

try await serve(app)
