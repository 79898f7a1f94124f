/// The files of a new app package: the hello-world playground (playground/hello-world) with the
/// names derived from the app's name. The sources are the playground's, byte for byte, when the
/// name is "hello-world".
struct AppTemplate {
    /// Where the published RwSDK package lives, and the first version an app asks for. Used when
    /// `rw new` gets no `--sdk-path`. The owner is a placeholder until the first release.
    static let publishedURL = "https://github.com/rwsdk-swift/rwsdk-swift"
    /// The version requirement written with ``publishedURL`` (`from:`).
    static let publishedVersion = "0.1.0"

    /// How the app package refers to RwSDK.
    enum SDKReference: Equatable {
        /// The published package, by URL and version (``publishedURL``, ``publishedVersion``).
        case published
        /// A local checkout, by absolute path.
        case path(String)
    }

    let name: AppName
    let sdk: SDKReference

    /// Every file of the package, as (path relative to the package, contents).
    var files: [(path: String, contents: String)] {
        [
            ("Package.swift", packageManifest),
            (".gitignore", gitignore),
            ("Sources/\(name.library)/App.swift", appSwift),
            ("Sources/\(name.library)/HomePage.swift", homePageSwift),
            ("Sources/\(name.library)/Document.swift", documentSwift),
            ("Sources/\(name.library)/Counter.swift", counterSwift),
            ("Sources/\(name.library)/Greet.swift", greetSwift),
            ("Sources/\(name.executable)/main.swift", mainSwift),
            ("Tests/\(name.library)Tests/\(name.library)Tests.swift", testsSwift),
            ("public/client/counter.js", counterJS),
        ]
    }

    /// The name in words for titles: "hello-world" → "Hello World".
    var displayName: String {
        name.package.split(whereSeparator: { $0 == "-" || $0 == "_" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }

    var packageManifest: String {
        let dependency: String
        let packageID: String
        switch sdk {
        case .published:
            dependency = #".package(url: "\#(Self.publishedURL)", from: "\#(Self.publishedVersion)")"#
            packageID = "rwsdk-swift"
        case .path(let path):
            dependency = #".package(name: "RwSDK", path: \#(Self.swiftStringLiteral(path)))"#
            packageID = "RwSDK"
        }
        return #"""
            // swift-tools-version: 6.0
            import PackageDescription

            // An RwSDK app: the app itself is a library target (\#(name.library)); a small executable
            // target (\#(name.executable)) serves it in production. `rw dev` loads the library;
            // `rw build` builds the executable; `swift test` runs the app's tests in process.
            let package = Package(
                name: "\#(name.package)",
                platforms: [.macOS(.v15)],
                dependencies: [
                    \#(dependency),
                ],
                targets: [
                    .target(
                        name: "\#(name.library)",
                        dependencies: [.product(name: "RwSDK", package: "\#(packageID)")]
                    ),
                    .executableTarget(
                        name: "\#(name.executable)",
                        dependencies: [
                            "\#(name.library)",
                            .product(name: "RwServer", package: "\#(packageID)"),
                        ]
                    ),
                    .testTarget(
                        name: "\#(name.library)Tests",
                        dependencies: ["\#(name.library)", .product(name: "RwSDKTesting", package: "\#(packageID)")]
                    ),
                ]
            )

            """#
    }

    var gitignore: String {
        """
        .build/
        .rw/
        Package.resolved

        """
    }

    var appSwift: String {
        #"""
        import RwSDK

        /// The \#(name.package) app: one page, one server action, one client component.
        public let app = defineApp {
            render(Document) {
                route("/") { HomePage() }
            }
            greet
        }

        """#
    }

    var homePageSwift: String {
        #"""
        import RwSDK

        /// The home page: a server component.
        func HomePage() -> some HTML {
            main {
                h1 { "Hello, World!" }
                p { "This page was rendered on the server for \(requestInfo.request.path)." }
                Counter(CounterProps(start: 0))
                p(.class("last-greeting")) { requestInfo.session["lastGreeting"] ?? "No greeting yet." }
                form(action: greet) {
                    input(.name("name"), .attr("placeholder", "Your name"))
                    button(.type("submit")) { "Greet" }
                }
            }
        }

        """#
    }

    var documentSwift: String {
        #"""
        import RwSDK

        /// The HTML document every page is rendered in.
        @HTMLBuilder
        func Document(_ content: any HTML) -> Fragment {
            html(.lang("en")) {
                head {
                    meta(.charset("utf-8"))
                    title("\#(displayName) · RwSDK")
                    clientRuntimeScript()
                }
                body {
                    content
                }
            }
        }

        """#
    }

    var counterSwift: String {
        #"""
        import RwSDK

        /// The counter's props, sent to the browser as JSON.
        struct CounterProps: Codable, Sendable {
            let start: Int
        }

        /// A client component: rendered here, made interactive by public/client/counter.js.
        let Counter = clientComponent("Counter", module: "/client/counter.js") { (props: CounterProps) in
            button(.type("button"), .class("counter")) { "Clicked \(props.start) times" }
        }

        """#
    }

    var greetSwift: String {
        #"""
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

        """#
    }

    var mainSwift: String {
        #"""
        import \#(name.library)
        import RwServer

        // Production entry point: `rw build` compiles this, `rw preview` runs it.
        try await serve(app)

        """#
    }

    var testsSwift: String {
        #"""
        import RwSDKTesting
        import Testing

        @testable import \#(name.library)

        /// The app's behaviour, checked in process: no server, no browser.
        @Suite struct \#(name.library)Tests {
            @Test func theHomePageShowsTheLastGreetingKeptInTheSession() async throws {
                try await app.test { client in
                    let page = await client.get("/")
                    #expect(page.status == 200)
                    #expect(page.text.contains("<h1>Hello, World!</h1>"))
                    #expect(page.text.contains("No greeting yet."))

                    let greeting = await client.post("/_rw/action/greet", json: #"{"name":"Ann"}"#)
                    #expect(greeting.status == 200)
                    #expect(greeting.headers["X-Greeting"] == "Hello, Ann")
                    #expect(client.cookies["rw_session"] != nil, "the greeting is kept in the session cookie")

                    let again = await client.get("/")
                    #expect(again.text.contains(#"<p class="last-greeting">Hello, Ann</p>"#))
                    #expect(again.headers["Cache-Control"] == "private")
                }
            }

            @Test func otherMethodsAreRefused() async throws {
                try await app.test { client in
                    let response = await client.request(.delete, "/")
                    #expect(response.status == 405)
                    #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS")
                }
            }
        }

        """#
    }

    var counterJS: String {
        #"""
        // Browser side of the Counter client component.
        export function hydrate(element, props) {
          const button = element.querySelector("button");
          let count = props.start;
          button.addEventListener("click", () => {
            count += 1;
            button.textContent = `Clicked ${count} times`;
          });
        }

        """#
    }

    /// `text` as a Swift string literal.
    static func swiftStringLiteral(_ text: String) -> String {
        var literal = "\""
        for character in text {
            switch character {
            case "\\": literal += "\\\\"
            case "\"": literal += "\\\""
            case "\n": literal += "\\n"
            default: literal.append(character)
            }
        }
        return literal + "\""
    }
}
