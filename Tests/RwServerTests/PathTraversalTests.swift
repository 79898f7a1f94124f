import Testing

/// Asset URLs that try to leave `public/`: every one gets 404 (or 400 from the parser), and no
/// response ever carries a file from outside the folder. Folders are neither listed nor
/// redirected to.
@Suite(.timeLimit(.minutes(10))) struct PathTraversalTests {
    static let attempts = [
        "/../secret.txt", "/client/../../secret.txt", "/./../secret.txt",
        "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e./secret.txt",
        "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/client%2f..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/%25252e%25252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt", "/..%5csecret.txt", "/..\\secret.txt",
        "/secret.txt", "/%2Fetc%2Fpasswd", "//etc/passwd", "/etc/passwd", "/../../../../../../etc/passwd",
        "/hello.txt%00", "/hello.txt%00.js", "/.%00./secret.txt",
        "http://x/../secret.txt", "http://x/%2e%2e/secret.txt"
    ]

    @Test func escapesFromPublicGet404AndNoSecret() async throws {
        try await FaultServer.with { server in
            let absolute = server.root.appendingPathComponent("secret.txt").path
            for target in Self.attempts + [absolute, "/" + absolute, "/%2F" + absolute.dropFirst()] {
                for method in ["GET", "HEAD"] {
                    let response = try await server.request(method, target)
                    #expect(response.status == 404 || response.status == 400, "\(method) \(target) answered \(response.status)")
                    #expect(!response.text.contains(FaultServer.secret), "\(method) \(target) leaked the secret")
                    #expect(!response.text.contains("root:"), "\(method) \(target) leaked /etc/passwd")
                }
            }
            try await server.expectServing()
        }
    }

    @Test func assetsInsidePublicAreServed() async throws {
        try await FaultServer.with { server in
            let hello = try await server.request("GET", "/hello.txt")
            #expect(hello.status == 200 && hello.text == "hello asset\n")
            #expect(try await server.request("GET", "/client/app.js").text == "export const x = 1;\n")
            #expect(try await server.request("GET", "/client/%61pp.js").status == 200)
        }
    }

    /// `//client` once answered 301 to `//client/`, which browsers read as the host `client`.
    @Test func foldersAreNotRedirectedTo() async throws {
        try await FaultServer.with { server in
            for target in ["/client", "//client", "/client/", "///client", "/%2Fclient"] {
                let response = try await server.request("GET", target)
                #expect(response.status == 404, "GET \(target) answered \(response.status)")
                #expect(response.header("Location") == nil, "GET \(target) redirected to \(response.header("Location") ?? "")")
            }
        }
    }
}
