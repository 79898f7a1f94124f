import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Paths of the repository and of the products built alongside the tests.
enum Paths {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding this build's products (the test bundle and the `rw` executable).
    static let products = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

    /// The `rw` executable built with the tests.
    static let rw = products.appendingPathComponent("rw")

    /// The scratch folder the playgrounds' production builds share (`rw build --scratch-path`), so
    /// Hummingbird, SwiftNIO, swift-crypto and RwSDK are compiled for release once, not once per
    /// playground. `bench/run` builds there too.
    static let releaseScratch = root.appendingPathComponent(".build/release-apps")
}

/// A minimal HTTP client over URLSession for tests.
struct HTTP: Sendable {
    let base: String
    /// Whether a redirect is followed (the reply is the last response) or returned as it came.
    var followsRedirects = true

    struct Reply {
        let status: Int
        let headers: [String: String]
        let text: String

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]
        // Tests send the cookies they mean to send, and read Set-Cookie themselves.
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration)
    }()

    /// Like ``session``, but a redirect is returned instead of followed.
    static let unredirected: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
    }()

    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await (followsRedirects ? Self.session : Self.unredirected).data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields["\(name)"] = "\(value)"
        }
        return Reply(status: http.statusCode, headers: fields, text: String(decoding: data, as: UTF8.self))
    }
}

/// Refuses every redirect, so the redirect itself is the reply.
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// A TCP socket connected to `127.0.0.1:port` (with a receive buffer of `receiveBuffer` bytes
/// when given); the caller closes it.
func connectToLoopback(port: Int, receiveBuffer: Int32? = nil) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    if var size = receiveBuffer {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        throw POSIXError(.ECONNREFUSED)
    }
    return fd
}
