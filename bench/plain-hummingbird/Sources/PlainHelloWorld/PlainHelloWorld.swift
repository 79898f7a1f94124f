import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import PlainHTML

// Usage: RW_SESSION_SECRETS=… PlainHelloWorld <port> <counter module URL>
// Does by hand, per request, the work the hello-world playground does, written for speed with
// Hummingbird, swift-crypto and a few byte-level helpers (Foundation's JSONEncoder, Base64 and
// string replacing made a first version of the action half as fast):
// - GET / reads the session cookie (HMAC-SHA256 checked, expiry checked) and writes the page,
//   escaping its dynamic parts and writing the counter's props as JSON;
// - POST /_rw/action/greet refuses a cross-origin call, decodes the form, keeps the greeting in
//   the session (JSON, signed, in a cookie) and answers JSON.
// The cookie's format is RwSDK's (`base64url(JSON) "." base64url(HMAC)`, signed with the first
// secret of RW_SESSION_SECRETS), so each server reads the other's sessions: the benchmark checks it.

/// A session as its cookie carries it: the values and the expiry in seconds since 1970.
struct Session: Codable {
    var v: [String: String]
    var e: Int64
}

/// `text` as a JSON string, quotes included.
func jsonString(_ text: String) -> String {
    var json = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": json += "\\\""
        case "\\": json += "\\\\"
        case "/": json += "\\/"
        case "\u{0}"..."\u{1F}": json += "\\u00" + String(scalar.value >> 4, radix: 16) + String(scalar.value & 15, radix: 16)
        default: json.unicodeScalars.append(scalar)
        }
    }
    return json + "\""
}

/// The value of `name` in an `application/x-www-form-urlencoded` body.
func formValue(_ name: String, in body: ByteBuffer) -> String? {
    for pair in String(buffer: body).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        if parts[0] == name {
            return parts.count < 2 ? "" : String(parts[1]).replacing("+", with: " ").removingPercentEncoding
        }
    }
    return nil
}

/// Signs and reads session cookies. `SymmetricKey` is not marked `Sendable`; the key is only read.
struct SessionCookies: @unchecked Sendable {
    static let name = "rw_session"
    static let lifetime = 14 * 24 * 3600

    let key: SymmetricKey

    func values(of request: Request) -> [String: String] {
        guard let token = request.cookies[Self.name]?.value, let dot = token.lastIndex(of: "."),
            let mac = Self.decode(token[token.index(after: dot)...]),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(token[..<dot].utf8), using: key),
            let payload = Self.decode(token[..<dot]),
            let session = try? JSONDecoder().decode(Session.self, from: payload),
            session.e > Int64(Date().timeIntervalSince1970)
        else { return [:] }
        return session.v
    }

    func cookie(for values: [String: String]) -> Cookie {
        var json = "{\"v\":{"
        for (index, (key, value)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            json += (index > 0 ? "," : "") + jsonString(key) + ":" + jsonString(value)
        }
        json += "},\"e\":\(Int64(Date().timeIntervalSince1970) + Int64(Self.lifetime))}"
        let payload = Self.encode(Array(json.utf8))
        let mac = Self.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: key)))
        return Cookie(name: Self.name, value: payload + "." + mac, maxAge: Self.lifetime, path: "/", httpOnly: true, sameSite: .lax)
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64 with the URL-safe alphabet, without padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for shift in [18, 12, 6, 0].prefix(count + 1) {
                text.append(alphabet[Int(group >> UInt32(shift) & 63)])
            }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func decode(_ text: Substring) -> Data? {
        var base64 = Array(text.utf8).map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "+") : $0 == UInt8(ascii: "_") ? UInt8(ascii: "/") : $0 }
        base64 += Array(repeating: UInt8(ascii: "="), count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: Data(base64))
    }
}

func render(path: String, lastGreeting: String?, counterModule: String, stylesheet: String) -> String {
    let start = 0
    let props = "{\"start\":\(start)}"
    var html = #"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Hello World · RwSDK</title>"#
    html += #"<link rel="stylesheet" href="\#(escaped(stylesheet, quotes: true))">"#
    html += #"<script type="module" src="/_rw/client.js"></script></head><body><main><h1>Hello, World!</h1>"#
    html += "<p>This page was rendered on the server for \(escaped(path)).</p>"
    html += #"<div data-rw-client="Counter" data-rw-module="\#(escaped(counterModule, quotes: true))" "#
    html += #"data-rw-props="\#(escaped(props, quotes: true))"><button type="button" class="counter">Clicked \#(start) times</button></div>"#
    html += #"<p class="last-greeting">\#(escaped(lastGreeting ?? "No greeting yet."))</p>"#
    html += #"<form method="post" action="/_rw/action/greet"><input name="name" placeholder="Your name">"#
    html += #"<button type="submit">Greet</button></form></main></body></html>"#
    return html
}

/// Whether `origin` names the host the request was sent to.
func isSameOrigin(_ origin: String, host: String?) -> Bool {
    guard let host, let url = URL(string: origin), let originHost = url.host else { return false }
    let authority = url.port.map { "\(originHost):\($0)" } ?? originHost
    return authority.lowercased() == host.lowercased()
}

@main
struct PlainHelloWorld {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 4, let port = Int(arguments[1]),
            let secret = ProcessInfo.processInfo.environment["RW_SESSION_SECRETS"]?.split(separator: ",").first
        else {
            FileHandle.standardError.write(Data("usage: RW_SESSION_SECRETS=… PlainHelloWorld <port> <counter module URL> <stylesheet URL>\n".utf8))
            Foundation.exit(2)
        }
        let counterModule = arguments[2]
        let stylesheet = arguments[3]
        let sessions = SessionCookies(key: SymmetricKey(data: Data(secret.utf8)))

        let router = Router()
        router.get("/") { request, _ in
            let values = sessions.values(of: request)
            let html = render(path: request.uri.path, lastGreeting: values["lastGreeting"], counterModule: counterModule, stylesheet: stylesheet)
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "private"],
                body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.post("/_rw/action/greet") { request, _ in
            if let origin = request.headers[.origin], !isSameOrigin(origin, host: request.head.authority) {
                throw HTTPError(.forbidden)
            }
            let form = try await request.body.collect(upTo: 2 * 1024 * 1024)
            let name = formValue("name", in: form).flatMap { $0.isEmpty ? nil : $0 } ?? "World"
            var values = sessions.values(of: request)
            values["lastGreeting"] = "Hello, \(name)"
            var headers: HTTPFields = [.cacheControl: "private", HTTPField.Name("X-Greeting")!: "Hello, \(name)"]
            let body: ByteBuffer
            if request.headers[.accept]?.contains("application/json") == true {
                headers[.contentType] = "application/json"
                body = ByteBuffer(string: "{\"message\":\(jsonString("Hello, \(name)!"))}")
            } else {
                headers[.location] = "/"
                body = ByteBuffer()
            }
            var response = Response(status: headers[.location] == nil ? .ok : .seeOther, headers: headers, body: .init(byteBuffer: body))
            response.setCookie(sessions.cookie(for: values))
            return response
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
