import Testing

@testable import RwSDK

@Suite(.timeLimit(.minutes(5))) struct QueryParametersTests {
    @Test func valuesAreReadByNameAndDecoded() {
        let request = RwRequest(method: "GET", target: "/search?q=swift+server&page=2&tag=a&tag=b%20c&empty=&flag&caf%C3%A9=%E2%9C%93")
        #expect(request.query["q"] == "swift server")
        #expect(request.query["page"] == "2")
        #expect(request.query["tag"] == "a")
        #expect(request.query.values(for: "tag") == ["a", "b c"])
        #expect(request.query["empty"] == "")
        #expect(request.query["flag"] == "")
        #expect(request.query["café"] == "✓")
        #expect(request.query["missing"] == nil)
        #expect(request.query.values(for: "missing").isEmpty)
        #expect(request.query.raw == "q=swift+server&page=2&tag=a&tag=b%20c&empty=&flag&caf%C3%A9=%E2%9C%93")
    }

    @Test func malformedEscapesAreKeptAsTheyCame() {
        let query = QueryParameters("a=%zz&b=%FF&c=%4&d=ok")
        #expect(query["a"] == "%zz")
        #expect(query["b"] == "%FF")
        #expect(query["c"] == "%4")
        #expect(query["d"] == "ok")
    }

    @Test func noQueryHasNoPairsAndTheTargetIsUnchanged() {
        let request = RwRequest(method: "GET", target: "/a")
        #expect(request.query.isEmpty)
        #expect(request.query.pairs.isEmpty)
        #expect(request.target == "/a")
        #expect(RwRequest(method: "GET", target: "/a?x=1&&y").query.pairs.map(\.name) == ["x", "y"])
        #expect(RwRequest(method: "GET", target: "/a?x=1").target == "/a?x=1")
    }

    @Test func routesReadTheQueryThroughRequestInfo() async {
        let app = defineApp {
            route("/list") { RwResponse(text: "page \(requestInfo.request.query["page"] ?? "1")") }
        }
        #expect(await send(app, "GET", "/list?page=3").text == "page 3")
        #expect(await send(app, "GET", "/list").text == "page 1")
    }
}
