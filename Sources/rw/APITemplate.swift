extension AppTemplate {
    /// The files of a new JSON API package (`rw new --template api`): accounts with bearer
    /// tokens, articles that belong to them, JSON errors, CORS and in-process tests. Every line
    /// about JSON, errors, auth or CORS is a framework call.
    var apiFiles: [(path: String, contents: String)] {
        [
            ("Package.swift", packageManifest),
            (".gitignore", gitignore),
            ("Dockerfile", dockerfile),
            (".dockerignore", dockerignore),
            ("Sources/\(name.library)/App.swift", apiAppSwift),
            ("Sources/\(name.library)/Auth.swift", apiAuthSwift),
            ("Sources/\(name.library)/Store.swift", apiStoreSwift),
            ("Sources/\(name.executable)/main.swift", mainSwift),
            ("Tests/\(name.library)Tests/\(name.library)Tests.swift", apiTestsSwift),
            // Files served next to the API (none yet); the Dockerfile copies the folder.
            ("public/.gitkeep", "")
        ]
    }

    var apiAppSwift: String {
        #"""
        import RwSDK

        /// The \#(name.package) API: accounts with bearer tokens, and articles that belong to them.
        /// JSON in and out, keys in snake case; errors are JSON too (`{"error": "…"}`).
        public let app = defineApp(json: JSONOptions(keys: .snakeCase, dates: .iso8601)) {
            cors(CORSOptions())
            post("/users") { info in
                let signUp = try await info.request.decode(SignUp.self)
                guard !signUp.name.isEmpty else {
                    throw HTTPStatusError(422, "A name is needed.", body: DecodingProblem(error: "field \"name\" is empty", field: "name"))
                }
                return JSONResponse(await store.signUp(name: signUp.name), status: 201)
            }
            get("/articles") { _ in await store.articles() }
            get("/articles/:id") { info in
                let id = try info.params.require("id", as: Int.self)
                guard let article = await store.article(id) else { throw HTTPStatusError(404, "No article \(id).") }
                return article
            }
            get("/users/:id/articles") { info in
                let id = try info.params.require("id", as: Int.self)
                guard let articles = await store.articles(by: id) else { throw HTTPStatusError(404, "No user \(id).") }
                return articles
            }
            guarded(by: requireUser) {
                get("/user") { info in try info.require(CurrentUser.self) }
                post("/articles") { info in
                    let draft = try await info.request.decode(NewArticle.self)
                    let article = await store.publish(draft, by: try info.require(CurrentUser.self))
                    return JSONResponse(article, status: 201, headers: ["Location": "/articles/\(article.id)"])
                }
            }
        }

        """#
    }

    var apiAuthSwift: String {
        #"""
        import RwSDK

        /// The signed-in user, put into the request's context by `requireUser`.
        enum CurrentUser: RequestContextKey { typealias Value = User }

        /// Lets a request through when it carries the token of an account
        /// (`Authorization: Bearer <token>`), with its user in the context; answers 401 otherwise.
        let requireUser: RouteGuard = { info in
            guard let token = info.request.bearerToken, let user = await store.user(token: token) else {
                throw HTTPStatusError(401, "Send the token of an account: Authorization: Bearer <token>.", headers: ["WWW-Authenticate": "Bearer"])
            }
            info[CurrentUser.self] = user
            return nil
        }

        """#
    }

    var apiStoreSwift: String {
        #"""
        import Foundation
        import RwSDK

        struct User: Codable, Sendable, Equatable {
            let id: Int
            let name: String
        }

        /// A new account: its user and the token that signs requests in as that user.
        struct Account: Codable, Sendable {
            let user: User
            let token: String
        }

        struct SignUp: Decodable, Sendable {
            let name: String
        }

        struct NewArticle: Decodable, Sendable {
            let title: String
            let body: String
        }

        struct Article: Codable, Sendable, Equatable {
            let id: Int
            let authorID: Int
            let title: String
            let body: String
            let createdAt: Date
        }

        /// Accounts and articles, in memory. Kept with `defineRwState`, so `rw dev` keeps them across
        /// saves; a real app keeps them in a database (RwData).
        actor Store {
            private var users: [User] = []
            private var tokens: [String: Int] = [:]
            private var published: [Article] = []

            func signUp(name: String) -> Account {
                let user = User(id: users.count + 1, name: name)
                users.append(user)
                let token = UUID().uuidString
                tokens[token] = user.id
                return Account(user: user, token: token)
            }

            func user(token: String) -> User? {
                tokens[token].flatMap { id in users.first { $0.id == id } }
            }

            func publish(_ draft: NewArticle, by author: User) -> Article {
                let article = Article(id: published.count + 1, authorID: author.id, title: draft.title, body: draft.body, createdAt: Date())
                published.append(article)
                return article
            }

            func articles() -> [Article] { published }

            func article(_ id: Int) -> Article? { published.first { $0.id == id } }

            /// The articles of user `id`, or `nil` when there is no such user.
            func articles(by id: Int) -> [Article]? {
                guard users.contains(where: { $0.id == id }) else { return nil }
                return published.filter { $0.authorID == id }
            }
        }

        let store = defineRwState("store") { Store() }

        """#
    }

    var apiTestsSwift: String {
        #"""
        import Foundation
        import RwSDK
        import RwSDKTesting
        import Testing

        @testable import \#(name.library)

        /// The API, checked in process: no server.
        @Suite struct \#(name.library)Tests {
            struct Problem: Decodable { let error: String; let field: String? }

            @Test func anAccountPublishesArticlesWithItsToken() async throws {
                try await app.test { client in
                    let created = await client.post("/users", json: #"{"name":"Ann"}"#)
                    #expect(created.status == 201)
                    let account = try JSONDecoder().decode(Account.self, from: Data(created.body))
                    let auth: Headers = ["Authorization": "Bearer \(account.token)"]

                    let me = await client.get("/user", headers: auth)
                    #expect(try JSONDecoder().decode(User.self, from: Data(me.body)) == account.user)

                    let posted = await client.post("/articles", json: #"{"title":"Hello","body":"First post."}"#, headers: auth)
                    #expect(posted.status == 201)
                    let location = try #require(posted.headers["Location"])
                    #expect(await client.get(location).text.contains("\"author_id\":\(account.user.id)"))
                    #expect(await client.get("/users/\(account.user.id)/articles").text.contains(#""title":"Hello""#))
                }
            }

            @Test func errorsAreJSON() async throws {
                try await app.test { client in
                    let anonymous = await client.post("/articles", json: #"{"title":"Hi","body":"…"}"#)
                    #expect(anonymous.status == 401)
                    #expect(anonymous.headers["WWW-Authenticate"] == "Bearer")
                    let refusal = try JSONDecoder().decode(Problem.self, from: Data(anonymous.body))
                    #expect(refusal.error.contains("Bearer"))

                    let mistyped = await client.post("/users", json: #"{"name":7}"#)
                    #expect(mistyped.status == 422)
                    let problem = try JSONDecoder().decode(Problem.self, from: Data(mistyped.body))
                    #expect(problem.field == "name")

                    #expect(await client.get("/articles/first", headers: ["Accept": "application/json"]).status == 400)
                    let missing = await client.get("/users/999/articles", headers: ["Accept": "application/json"])
                    #expect(missing.status == 404 && missing.text == #"{"error":"No user 999."}"#)
                }
            }
        }

        """#
    }
}
