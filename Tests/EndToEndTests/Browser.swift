import Foundation
import RwSubprocess
import RwTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A headless Chromium (Debian's `chromium`) driven by `chromedriver` over the W3C WebDriver
/// protocol. Scripts run in the page; their results come back as strings.
final class Browser: Sendable {
    private let driver: ChildProcess
    private let session: String
    private let base: String

    private init(driver: ChildProcess, base: String, session: String) {
        self.driver = driver
        self.base = base
        self.session = session
    }

    /// Starts chromedriver on a free port and opens a headless browser session.
    static func launch() async throws -> Browser {
        let executable = URL(fileURLWithPath: "/usr/bin/chromedriver")
        try #require(
            FileManager.default.isExecutableFile(atPath: executable.path),
            "chromedriver is missing: scripts/install-system-packages installs chromium and chromium-driver")
        let driver = try ChildProcess(executable, ["--port=0"], quiet: true)
        let line = await driver.waitForLine(containing: "started successfully on port")
        let port = try #require(line.flatMap { $0.split(separator: " ").last }.map { $0.trimmingCharacters(in: .punctuationCharacters) })
        let base = "http://127.0.0.1:\(port)"
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "goog:chromeOptions": [
                        "binary": "/usr/bin/chromium",
                        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1000,800"]
                    ]
                ]
            ]
        ]
        do {
            let reply = try await command(base, "POST", "/session", capabilities)
            let session = try #require((reply as? [String: Any])?["sessionId"] as? String, "no WebDriver session: \(String(describing: reply))")
            return Browser(driver: driver, base: base, session: session)
        } catch {
            _ = await driver.stop(SIGKILL)
            throw error
        }
    }

    /// Runs `body` with a new browser and closes the browser afterwards, also when `body` throws.
    static func session<T>(_ body: (Browser) async throws -> T) async throws -> T {
        let browser = try await launch()
        do {
            let result = try await body(browser)
            await browser.close()
            return result
        } catch {
            await browser.close()
            throw error
        }
    }

    /// Navigates to `url` and waits for the page to load.
    func open(_ url: String) async throws {
        _ = try await command("POST", "url", ["url": url])
    }

    /// Runs `script` (a function body; `return` gives the result) in the page and returns its
    /// result: strings as they are, anything else as JSON, `nil` for null or undefined.
    @discardableResult
    func run(_ script: String) async throws -> String? {
        Self.describe(try await command("POST", "execute/sync", ["script": script, "args": []]))
    }

    /// Runs `script` in the page; it finishes by calling `done(result)` (the last argument).
    func runAsync(_ script: String) async throws -> String? {
        let body = "const done = arguments[arguments.length - 1];\n" + script
        return Self.describe(try await command("POST", "execute/async", ["script": body, "args": []]))
    }

    /// Clicks the element matched by `selector` the way a user would.
    func click(_ selector: String) async throws {
        let found = try await command("POST", "element", ["using": "css selector", "value": selector])
        let element = try #require((found as? [String: Any])?.values.first as? String, "no element matches \(selector)")
        _ = try await command("POST", "element/\(element)/click", [:])
    }

    /// The text of the element matched by `selector`, or `nil` when there is none.
    func text(_ selector: String) async throws -> String? {
        try await run("return document.querySelector(\(Self.quoted(selector)))?.textContent ?? null;")
    }

    /// Waits until `condition` (a JavaScript expression) is true in the page, re-checking every
    /// 100 ms for at most `timeout`. Errors while the page reloads count as "not yet".
    /// Returns whether it became true.
    @discardableResult
    func waitUntil(_ condition: String, timeout: Duration = .seconds(300)) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if (try? await run("return String(Boolean(\(condition)));")) == "true" { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the page never satisfied: \(condition)")
        return false
    }

    /// Opens a new tab and makes it the current one; returns the handle of the tab that was.
    func newTab() async throws -> String {
        let previous = try await currentTab()
        let opened = try #require((try await command("POST", "window/new", ["type": "tab"]) as? [String: Any])?["handle"] as? String)
        try await switchTo(opened)
        return previous
    }

    /// Makes the tab with `handle` the current one.
    /// The handle of the tab commands go to, for ``switchTo(_:)``.
    func currentTab() async throws -> String {
        try #require(try await command("GET", "window", nil) as? String)
    }

    func switchTo(_ handle: String) async throws {
        _ = try await command("POST", "window", ["handle": handle])
    }

    /// Saves a PNG screenshot of the page at `file`, creating its folder.
    func screenshot(to file: URL) async throws {
        let encoded = try #require(try await command("GET", "screenshot", nil) as? String)
        let data = try #require(Data(base64Encoded: encoded))
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    /// Ends the browser session and stops chromedriver.
    func close() async {
        _ = try? await command("DELETE", "", nil)
        _ = await driver.stop(SIGKILL)
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        try await Self.command(base, method, "/session/\(session)" + (path.isEmpty ? "" : "/\(path)"), body)
    }

    private static func command(_ base: String, _ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (status, data) = try await LoopbackHTTP.send(method, base + path, body: payload)
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        let value = object?["value"]
        if status != 200 {
            throw WebDriverError(path: path, reply: describe(value) ?? "")
        }
        return value is NSNull ? nil : value
    }

    private static func describe(_ value: Any?) -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let string as String: return string
        case let value?:
            guard JSONSerialization.isValidJSONObject(value) else { return "\(value)" }
            return (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// `text` as a JavaScript string literal.
    static func quoted(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text])
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}

/// A one-request-per-connection HTTP/1.1 client for loopback servers, tolerant of header lines
/// without a space after the colon (chromedriver writes them so; URLSession on Linux rejects them).
enum LoopbackHTTP {
    /// Sends one request to `url` (`http://127.0.0.1:PORT/path`) and returns the status and body.
    static func send(_ method: String, _ url: String, body: Data?) async throws -> (status: Int, body: Data) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchange(method, url, body: body) }) }.start()
        }
    }

    private static func exchange(_ method: String, _ url: String, body: Data?) throws -> (status: Int, body: Data) {
        guard let components = URLComponents(string: url), let port = components.port else { throw POSIXError(.EINVAL) }
        let fd = try connectToLoopback(port: port)
        defer { close(fd) }
        var request = Data("\(method) \(components.percentEncodedPath) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n".utf8)
        if let body { request.append(Data("Content-Type: application/json\r\nContent-Length: \(body.count)\r\n".utf8)) }
        request.append(Data("\r\n".utf8))
        if let body { request.append(body) }
        try request.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let n = Glibc.send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw POSIXError(.EPIPE) }
                sent += n
            }
        }
        var reply = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var expected: Int?  // header length + Content-Length, once the header is in
        while expected.map({ reply.count < $0 }) ?? true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            reply.append(contentsOf: chunk[0..<n])
            if expected == nil, let end = reply.firstRange(of: Data("\r\n\r\n".utf8)) {
                let header = String(decoding: reply[..<end.lowerBound], as: UTF8.self).lowercased()
                let length = header.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
                expected = length.map { end.upperBound - reply.startIndex + $0 }
            }
        }
        guard let end = reply.firstRange(of: Data("\r\n\r\n".utf8)),
            let statusLine = String(decoding: reply[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n").first,
            let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw POSIXError(.EBADMSG) }
        return (status, Data(reply[end.upperBound...]))
    }
}

/// A WebDriver command failed.
struct WebDriverError: Error, CustomStringConvertible {
    let path: String
    let reply: String
    var description: String { "WebDriver \(path) failed: \(reply)" }
}
