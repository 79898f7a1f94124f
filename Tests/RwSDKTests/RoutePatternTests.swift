import Testing

@testable import RwSDK

@Suite(.timeLimit(.minutes(5))) struct RoutePatternTests {
    @Test func staticSegmentsMatchExactly() {
        let pattern = RoutePattern("/about/team")
        #expect(pattern.match("/about/team") == [:])
        #expect(pattern.match("/about/team/") == [:])
        #expect(pattern.match("/about") == nil)
        #expect(pattern.match("/about/team/x") == nil)
        #expect(pattern.match("/About/team") == nil)
        #expect(RoutePattern("/").match("/") == [:])
        #expect(RoutePattern("/").match("/x") == nil)
    }

    @Test func parametersCaptureOneDecodedSegment() {
        let pattern = RoutePattern("/users/:id/posts/:post")
        #expect(pattern.match("/users/42/posts/7") == ["id": "42", "post": "7"])
        #expect(pattern.match("/users/a%20b/posts/%C3%A9") == ["id": "a b", "post": "é"])
        #expect(pattern.match("/users/42/posts") == nil)
        #expect(pattern.match("/users//posts/7") == nil)
    }

    @Test func wildcardsCaptureTheRest() {
        #expect(RoutePattern("/files/*").match("/files/a/b/c.txt") == ["$0": "a/b/c.txt"])
        #expect(RoutePattern("/files/*").match("/files") == ["$0": ""])
        #expect(RoutePattern("/*/edit").match("/a/b/edit") == ["$0": "a/b"])
        #expect(RoutePattern("/*/x/*").match("/a/x/b/c") == ["$0": "a", "$1": "b/c"])
        #expect(RoutePattern("/*/edit").match("/a/b") == nil)
    }

    @Test func invalidPercentEncodingDoesNotMatch() {
        #expect(RoutePattern("/:name").match("/%E0%A4%A") == nil)
    }
}
