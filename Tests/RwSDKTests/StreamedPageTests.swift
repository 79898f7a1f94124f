import RwSDKTesting
import Testing

@testable import RwSDK

/// Pages with `Await` content: what is sent first, the order of the pieces, nested awaits,
/// `requestInfo` inside awaited content, and failures after the first byte.
@Suite(.timeLimit(.minutes(5))) struct StreamedPageTests {
    struct Failure: Error {}

    @Test func markupBeforeTheFirstAwaitIsTheFirstBodyAndTheRestStreamsInOrder() async throws {
        let app = defineApp {
            route("/") {
                main {
                    h1 { "first" }
                    Await {
                        "one"
                    } content: { text in
                        p { text }
                        Await {
                            "two"
                        } content: { inner in
                            em { inner }
                        }
                        "between"
                    }
                    Await {
                        requestInfo.request.path
                    } content: { path in
                        footer { path }
                    }
                    "end"
                }
            }
        }
        let response = await app.handle(RwRequest(method: "GET", target: "/"))
        #expect(String(decoding: response.body, as: UTF8.self) == "<!DOCTYPE html><main><h1>first</h1>")
        let stream = try #require(response.stream, "a page with Await content is streamed")
        var pieces: [String] = []
        for try await piece in stream { pieces.append(String(decoding: piece, as: UTF8.self)) }
        #expect(pieces.joined() == "<p>one</p><em>two</em>between<footer>/</footer>end</main>")
        #expect(pieces.count > 1)
    }

    @Test func aPageWithoutAwaitIsOneBody() async {
        let app = defineApp { route("/") { main { "all at once" } } }
        let response = await app.handle(RwRequest(method: "GET", target: "/"))
        #expect(response.stream == nil)
        #expect(String(decoding: response.body, as: UTF8.self) == "<!DOCTYPE html><main>all at once</main>")
    }

    @Test func aFailureAfterTheFirstByteEndsWithANoticeAndThrows() async throws {
        let app = defineApp {
            route("/") {
                main {
                    "before"
                    Await { () async throws -> String in
                        throw Failure()
                    } content: { text in
                        p { text }
                    }
                    "never sent"
                }
            }
        }
        for environment in [RwEnvironment.production, .development] {
            let response = await app.handle(RwRequest(method: "GET", target: "/"), environment: environment)
            var iterator = try #require(response.stream).makeAsyncIterator()
            let notice = String(decoding: try #require(try await iterator.next()), as: UTF8.self)
            #expect(notice.contains("data-rw-stream-error"))
            #expect(notice.contains("Failure") == (environment == .development), "details only in development")
            await #expect(throws: Failure.self) { _ = try await iterator.next() }
        }
    }

    @Test func theTestClientReadsTheWholeStreamAndHeadHasNoBody() async {
        let app = defineApp {
            route("/") {
                main {
                    "a"
                    Await {
                        "b"
                    } content: { text in
                        text
                    }
                }
            }
            route("/failing") {
                main {
                    "a"
                    Await { () async throws -> String in
                        throw Failure()
                    } content: { text in
                        text
                    }
                }
            }
        }
        await app.test { client in
            let page = await client.get("/")
            #expect(page.text == "<!DOCTYPE html><main>ab</main>")
            #expect(page.streamFailure == nil)
            let failing = await client.get("/failing")
            #expect(failing.text.hasPrefix("<!DOCTYPE html><main>a<p role=\"alert\""))
            #expect(failing.streamFailure != nil)
            let head = await client.request(.head, "/")
            #expect(head.body.isEmpty)
            #expect(head.headers["Content-Length"] == nil, "a streamed page's length is not known")
        }
    }
}
