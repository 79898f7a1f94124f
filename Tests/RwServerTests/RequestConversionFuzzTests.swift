import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PropertyBased
import RwSDK
import RwServer
import Testing

/// Property-based fuzzing of the request conversion `RwRequest(Request, maxBodySize:)` and of
/// the framework behind it: random methods, targets, header fields (with control characters and
/// non-ASCII), bodies, body limits and framings. The conversion keeps everything it is given or
/// refuses an oversized body; the app then answers every request with an expected status.
@Suite struct RequestConversionFuzzTests {
    enum Framing: CaseIterable, Sendable { case contentLength, chunked, none }

    static let methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "PURGE", "X-CUSTOM"]
    static let targetTokens = [
        "", "a", "users", "42", "files", "edit", "_rw", "action", "echo", "nope", "%", "%2F", "%FF", "..", "é",
        "?", "?a=1", "&", "#", "%00", "client.js", "*",
    ]
    static let fieldNames = [
        "X-A", "Accept", "Content-Type", "Origin", "Referer", "Cookie", "X-Trace", "Accept-Language", "Connection",
    ]
    static let fieldValues = [
        "application/json", "application/x-www-form-urlencoded", "http://evil.example", "http://fuzz.test", "text/html",
        "a\r\nb", "\u{0}", "é", "", " padded ", "close",
    ]

    static let method = Gen<String?>.element(of: methods).map { $0 ?? "GET" }
    static let target = Gen<String?>.element(of: targetTokens).map { $0 ?? "" }.array(of: 0...6)
        .map { "/" + $0.joined(separator: "/") }
    static let field = zip(
        Gen<String?>.element(of: fieldNames).map { $0 ?? "X-A" },
        Gen<String?>.element(of: fieldValues).map { $0 ?? "" }
    )
    static let body = Gen<UInt8>.value(in: 0...255).array(of: 0...64)
    static let framing = Gen<Framing?>.element(of: Framing.allCases).map { $0 ?? .none }

    static let echo = serverAction("echo") { input in ["name": input["name"] ?? ""] }
    static let app = defineApp {
        middleware { info in info.ctx["seen"] = info.request.headers["X-A"] ?? "" }
        route("/") { RwResponse(text: "ok") }
        route("/users/:id") { info in RwResponse(text: info.params["id"] ?? "") }
        route("/files/*/edit") { info in RwResponse(text: info.params["$0"] ?? "") }
        echo
    }

    @Test func conversionKeepsTheRequestOrRefusesOversizedBodies() async throws {
        await propertyCheck(
            count: 400, input: Self.method, Self.target, Self.field.array(of: 0...6), Self.body, Gen.int(in: 0...64), Self.framing
        ) { method, target, fields, body, limit, framing in
            var headerFields = HTTPFields()
            for (name, value) in fields { headerFields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            switch framing {
            case .contentLength: headerFields[.contentLength] = "\(body.count)"
            case .chunked: headerFields[.transferEncoding] = "chunked"
            case .none: break
            }
            let head = HTTPRequest(
                method: HTTPRequest.Method(method)!, scheme: "http", authority: "fuzz.test", path: target, headerFields: headerFields)
            let sent = framing == .none ? [] : body
            let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: sent)))

            let converted = try await RwRequest(request, maxBodySize: limit)
            guard let converted else {
                #expect(sent.count > limit, "a \(sent.count)-byte body under the \(limit)-byte limit was refused")
                return
            }
            #expect(sent.count <= limit, "a \(sent.count)-byte body over the \(limit)-byte limit was accepted")
            #expect(converted.method == method)
            #expect(converted.body == sent)
            let mark = target.firstIndex(of: "?")
            #expect(converted.path == String(target[..<(mark ?? target.endIndex)]))
            #expect(converted.query.raw == mark.map { String(target[target.index(after: $0)...]) } ?? "")
            // Host first (from the authority), then every field as sent, in order.
            #expect(converted.headers.fields.first == Headers.Field(name: "Host", value: "fuzz.test"))
            #expect(
                converted.headers.fields.dropFirst().map { [$0.name, $0.value] }
                    == headerFields.map { [$0.name.rawName, $0.value] })

            let response = await Self.app.handle(converted)
            #expect([200, 204, 303, 400, 403, 404, 405].contains(response.status), "\(method) \(target) answered \(response.status)")
        }
    }
}
