import Foundation

/// The files of a new app package: the hello-world playground (playground/hello-world) with the
/// names derived from the app's name. The sources are the playground's, byte for byte, when the
/// name is "hello-world".
struct AppTemplate {
    /// How the app package refers to RwSDK.
    enum SDKReference: Equatable {
        /// A package repository, by URL and the first version asked for (`from:`).
        case url(String, from: String)
        /// A local copy of the RwSDK package (a checkout, or the sources an installed `rw`
        /// ships), by absolute path.
        case path(String)

        /// The identity SwiftPM gives the package, which product dependencies name: the URL's
        /// last path component without ".git", or the name the path dependency declares.
        var packageIdentity: String {
            switch self {
            case .url(let url, _):
                let last = url.split(separator: "/").last.map(String.init) ?? url
                return (last.hasSuffix(".git") ? String(last.dropLast(4)) : last).lowercased()
            case .path: return "RwSDK"
            }
        }
    }

    /// What kind of app the package holds.
    enum Kind: String, CaseIterable {
        /// The hello-world app: a page, a server action and a client component.
        case html
        /// A JSON API: accounts with bearer tokens, articles, JSON errors, CORS.
        case api
    }

    let name: AppName
    let sdk: SDKReference
    /// The Swift version of the image the Dockerfile builds with (the toolchain's, such as "6.3.1").
    let swiftVersion: String

    /// What kind of app the package holds.
    var kind: Kind = .html

    /// Every file of the package, as (path relative to the package, contents).
    var files: [(path: String, contents: String)] {
        kind == .api ? apiFiles : htmlFiles
    }

    /// The files of the hello-world app.
    var htmlFiles: [(path: String, contents: String)] {
        [
            ("Package.swift", packageManifest),
            (".gitignore", gitignore),
            ("Dockerfile", dockerfile),
            (".dockerignore", dockerignore),
            ("Sources/\(name.library)/App.swift", appSwift),
            ("Sources/\(name.library)/HomePage.swift", homePageSwift),
            ("Sources/\(name.library)/Document.swift", documentSwift),
            ("Sources/\(name.library)/Counter.swift", counterSwift),
            ("Sources/\(name.library)/Greet.swift", greetSwift),
            ("Sources/\(name.executable)/main.swift", mainSwift),
            ("Tests/\(name.library)Tests/\(name.library)Tests.swift", testsSwift),
            ("public/client/counter.js", counterJS),
            ("public/styles.css", stylesCSS)
        ]
    }

    /// The name in words for titles: "hello-world" → "Hello World".
    var displayName: String {
        name.package.split(whereSeparator: { $0 == "-" || $0 == "_" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }

    var packageManifest: String {
        var dependency: String
        let packageID = sdk.packageIdentity
        switch sdk {
        case .url(let url, let version):
            dependency = #".package(url: \#(Self.swiftStringLiteral(url)), from: \#(Self.swiftStringLiteral(version)))"#
        case .path(let path):
            dependency = #".package(name: "RwSDK", path: \#(Self.swiftStringLiteral(path)))"#
            // SwiftPM names a package depended on by path after its folder in its messages
            // ("'main' depends on …"), whatever name the manifest gives it.
            let folder = (path as NSString).lastPathComponent
            if folder.lowercased() != "rwsdk" {
                dependency = "// RwSDK; SwiftPM's messages call it '\(folder)', the name of its folder.\n        " + dependency
            }
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

    /// A multi-stage container recipe: builds the executable as `rw build` does (release, Swift
    /// runtime linked statically) in the Swift image, and runs it with public/ on a slim Debian
    /// image without Swift. A path dependency on RwSDK comes in as the named build context
    /// "rwsdk", copied to the same absolute path the manifest names.
    var dockerfile: String {
        var usage = "#   docker build -t \(name.package) ."
        var sdkCopy = ""
        if case .path(let path) = sdk {
            usage = "#   docker build --build-context rwsdk=\(Shell.quote(path)) -t \(name.package) ."
            sdkCopy = """
                # Package.swift depends on RwSDK by path: the build gets that folder as the build context
                # "rwsdk" (docker build --build-context, BuildKit) and puts it at the same path.
                COPY --from=rwsdk [".", \(Self.swiftStringLiteral(path))]

                """
        }
        return #"""
            # syntax=docker/dockerfile:1
            # The \#(name.package) server in a container: compiled in the Swift image, run on a slim
            # Debian image without Swift (the executable links the Swift runtime statically, as
            # `rw build` does; `rw build` lists the system libraries it needs).
            #
            \#(usage)
            #   docker run -p 8080:8080 -e RW_SESSION_SECRETS="$(openssl rand -hex 32)" \#(name.package)

            FROM swift:\#(swiftVersion)-bookworm AS build
            WORKDIR /build
            \#(sdkCopy)COPY Package.swift ./
            RUN swift package resolve
            COPY . .
            # The executable ships stripped; its debug information stays in this stage, in
            # /build/\#(name.executable).debug, for symbolicating a crash (docker build --target build).
            RUN swift build -c release --static-swift-stdlib --product \#(name.executable) \
                && mkdir /staging \
                && cp "$(swift build -c release --show-bin-path)/\#(name.executable)" /staging/ \
                && llvm-objcopy --only-keep-debug /staging/\#(name.executable) /build/\#(name.executable).debug \
                && llvm-objcopy --strip-all --add-gnu-debuglink=/build/\#(name.executable).debug /staging/\#(name.executable) \
                && cp -R public /staging/public

            FROM debian:bookworm-slim
            RUN useradd --system --user-group --home-dir /app app
            WORKDIR /app
            COPY --from=build --chown=app:app /staging /app
            USER app
            EXPOSE 8080
            ENTRYPOINT ["./\#(name.executable)", "--host", "0.0.0.0", "--port", "8080", "--public", "/app/public"]

            """#
    }

    var dockerignore: String {
        """
        .build/
        .rw/
        .swiftpm/
        .git/
        Dockerfile
        .dockerignore

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
                    link(.rel("stylesheet"), .href(asset("/styles.css")))
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
        //
        // The count lives in `hot.data`, which `rw dev` keeps for this element when it swaps in an
        // edited version of this module, so the count goes on across edits. `dispose` runs on the old
        // version first and removes its click listener.
        const listeners = new WeakMap();

        export function hydrate(element, props, { hot }) {
          const button = element.querySelector("button");
          hot.data.count ??= props.start;
          const show = () => {
            button.textContent = `Clicked ${hot.data.count} times`;
          };
          const click = () => {
            hot.data.count += 1;
            show();
          };
          show();
          button.addEventListener("click", click);
          listeners.set(element, () => button.removeEventListener("click", click));
        }

        export function dispose(element) {
          listeners.get(element)?.();
          listeners.delete(element);
        }

        """#
    }

    var stylesCSS: String {
        """
        body {
          font-family: system-ui, sans-serif;
          margin: 2rem;
        }

        h1 {
          color: #1d3557;
        }

        """
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
