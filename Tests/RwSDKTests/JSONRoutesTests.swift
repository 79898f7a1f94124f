import Foundation
import PropertyBased
import RwSDK
import RwSDKTesting
import Testing

/// JSON in (`request.decode`, JSON and forms) and out (routes returning values), with the app's
/// JSON options.
@Suite struct JSONRoutesTests {
    struct NewArticle: Codable, Sendable, Equatable {
        let title: String
        let wordCount: Int
        let draft: Bool
        let tags: [String]?
    }

    struct Article: Codable, Sendable, Equatable {
        let id: Int
        let title: String
        let createdAt: Date
    }

    struct Optionals: Codable, Sendable {
        let count: Int?
        let note: String?
    }

    static let createdAt = Date(timeIntervalSince1970: 1_765_000_000)

    static func app(json: JSONOptions? = nil) -> App {
        defineApp(json: json) {
            post("/articles") { info in
                let new = try await info.request.decode(NewArticle.self)
                return JSONResponse(
                    Article(id: 7, title: new.title, createdAt: Self.createdAt), status: 201, headers: ["Location": "/articles/7"])
            }
            get("/articles/:id") { info in
                Article(id: try info.params.require("id", as: Int.self), title: "Hello", createdAt: Self.createdAt)
            }
            route("/echo", methods: [.post]) { info in try await info.request.decode(NewArticle.self) }
            get("/page") { _ in "a page" }
            post("/optional") { info in try await info.request.decode(Optionals.self) }
        }
    }

    @Test func aRouteReturnsAnEncodableValueOrAJSONResponse() async throws {
        await Self.app().test { client in
            let article = await client.get("/articles/7")
            #expect(article.status == 200)
            #expect(article.headers["Content-Type"] == "application/json")
            #expect(article.text.contains(#""createdAt":"2025-12-06T05:46:40Z""#), "\(article.text)")
            #expect((try? JSONDecoder.iso.decode(Article.self, from: Data(article.body))) == Article(id: 7, title: "Hello", createdAt: Self.createdAt))
            let created = await client.post("/articles", json: #"{"title":"Hi","wordCount":3,"draft":false}"#)
            #expect(created.status == 201)
            #expect(created.headers["Location"] == "/articles/7")
            #expect((try? JSONDecoder.iso.decode(Article.self, from: Data(created.body))) == Article(id: 7, title: "Hi", createdAt: Self.createdAt))
            // A String is still a page.
            #expect(await client.get("/page").headers["Content-Type"] == "text/html; charset=utf-8")
        }
    }

    @Test func formsDecodeIntoTheSameTypes() async throws {
        await Self.app().test { client in
            let echoed = await client.post("/echo", form: ["title": "Hi there", "wordCount": "12", "draft": "on"])
            #expect(echoed.status == 200, "\(echoed.text)")
            #expect(
                (try? JSONDecoder().decode(NewArticle.self, from: Data(echoed.body))) == NewArticle(title: "Hi there", wordCount: 12, draft: true, tags: nil))
            // A blank optional field is nil.
            let blank = await client.post("/optional", form: ["count": "", "note": ""])
            #expect(blank.text == "{}", "\(blank.text)")
            #expect(await client.post("/optional", form: ["count": "3"]).text == #"{"count":3}"#)
            let bad = await client.post("/echo", form: ["title": "Hi", "wordCount": "twelve", "draft": "on"], headers: ["Accept": "application/json"])
            #expect(bad.status == 422)
            #expect(
                (try? JSONDecoder().decode(DecodingProblem.self, from: Data(bad.body)))
                    == DecodingProblem(error: "field \"wordCount\" is not an integer", field: "wordCount"))
        }
    }

    @Test(
        arguments: [
            (#"{"title":"Hi","wordCount":"3","draft":false}"#, 422, "wordCount", "field \"wordCount\" is not an integer"),
            (#"{"wordCount":3,"draft":false}"#, 422, "title", "missing field \"title\""),
            (#"{"title":"Hi","wordCount":3,"draft":null}"#, 422, "draft", "field \"draft\" is not a boolean"),
            (#"{"title":"Hi","wordCount":3,"draft":false,"tags":["a",2]}"#, 422, "tags.1", "field \"tags.1\" is not a string"),
            (#"[1,2]"#, 422, nil, "the body is not an object"),
            (#"{"title":"#, 400, nil, "the body is not valid JSON")
        ] as [(String, Int, String?, String)])
    func badJSONNamesTheFieldAndTheReason(body: String, status: Int, field: String?, error: String) async throws {
        await Self.app().test { client in
            let response = await client.post("/echo", json: body)
            #expect(response.status.code == status, "\(body): \(response.text)")
            let problem = try? JSONDecoder().decode(DecodingProblem.self, from: Data(response.body))
            #expect(problem == DecodingProblem(error: error, field: field), "\(body): \(response.text)")
        }
    }

    @Test func anUnreadableContentTypeIs415() async {
        await Self.app().test { client in
            let response = await client.request(.post, "/echo", headers: ["Content-Type": "text/plain"], body: Array("hi".utf8))
            #expect(response.status == 415)
        }
    }

    @Test func aParameterThatDoesNotParseIs400() async throws {
        await Self.app().test { client in
            let response = await client.get("/articles/seven", headers: ["Accept": "application/json"])
            #expect(response.status == 400)
            #expect(
                (try? JSONDecoder().decode(DecodingProblem.self, from: Data(response.body)))
                    == DecodingProblem(error: "parameter \"id\" is not an integer: \"seven\"", field: "id"))
        }
    }

    @Test func theAppsJSONOptionsApplyBothWays() async throws {
        let app = Self.app(json: JSONOptions(keys: .snakeCase, dates: .secondsSince1970, sortedKeys: true))
        await app.test { client in
            let article = await client.get("/articles/7")
            #expect(article.text == #"{"created_at":1765000000,"id":7,"title":"Hello"}"#)
            let echoed = await client.post("/echo", json: #"{"title":"Hi","word_count":3,"draft":true}"#)
            #expect(echoed.status == 200, "\(echoed.text)")
            #expect(echoed.text == #"{"draft":true,"title":"Hi","word_count":3}"#)
            let form = await client.post("/echo", form: ["title": "Hi", "word_count": "4", "draft": "false"])
            #expect(form.text == #"{"draft":false,"title":"Hi","word_count":4}"#)
        }
    }

    @Test func serverActionsUseTheAppsJSONOptions() async {
        struct Input: Decodable { let firstName: String }
        struct Output: Encodable { let greetingText: String }
        let greet = serverAction("greet") { input in Output(greetingText: "Hello, \(try input.decode(Input.self).firstName)") }
        let app = defineApp(json: JSONOptions(keys: .snakeCase)) { greet }
        await app.test { client in
            #expect(await client.post(greet.path, json: #"{"first_name":"Ann"}"#).text == #"{"greeting_text":"Hello, Ann"}"#)
            #expect(
                await client.post(greet.path, form: ["first_name": "Bob"], headers: ["Accept": "application/json"]).text
                    == #"{"greeting_text":"Hello, Bob"}"#)
        }
    }

    /// Broken and mistyped bodies, as JSON and as forms: never a 500, always 200, 400 or 422
    /// with a problem naming what is wrong.
    @Test func brokenBodiesNeverGive500() async {
        let app = Self.app()
        let pieces = [
            "{", "}", "[", "]", ",", ":", "\"title\"", "\"wordCount\"", "\"draft\"", "\"tags\"", "\"Hi\"", "3", "-1", "1e999",
            "true", "null", "\"\\u00\"", "\"\\ud800\"", "9999999999999999999999", " ", "\u{0}", "é", "=", "&", "%", "%FF"
        ]
        let text = Gen<String?>.element(of: pieces).map { $0 ?? "" }.array(of: 0...24).map { $0.joined() }
        let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...32)
        let contentType = Gen<String?>.element(of: ["application/json", "application/x-www-form-urlencoded", "application/json; charset=utf-8"])
            .map { $0 ?? "application/json" }
        await propertyCheck(count: 300, input: text, bytes, contentType, Gen.bool) { text, bytes, type, useBytes in
            let body = useBytes ? bytes : Array(text.utf8)
            let response = await app.handle(
                RwRequest(method: "POST", target: "/echo", headers: ["Content-Type": type, "Accept": "application/json"], body: body))
            #expect([200, 400, 422].contains(response.status), "\(type) \(body): \(response.status)")
            if response.status != 200 {
                #expect((try? JSONDecoder().decode(DecodingProblem.self, from: Data(response.body)))?.error.isEmpty == false)
            }
        }
    }
}

extension JSONDecoder {
    /// A decoder reading ISO 8601 dates, as the default `JSONOptions` write them.
    static let iso: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
