import Testing

@testable import RwSDK

@Suite struct HTMLTests {
    @Test func textIsEscaped() {
        let html = p { "<script>alert('x') & \"y\"</script>" }.renderedHTML()
        #expect(html == "<p>&lt;script&gt;alert('x') &amp; \"y\"&lt;/script&gt;</p>")
    }

    @Test func attributeValuesAreEscapedIncludingQuotes() {
        let html = a(.href("/x?a=1&b=\"2\""), .attr("title", "it's <b>")) { "link" }.renderedHTML()
        #expect(html == "<a href=\"/x?a=1&amp;b=&quot;2&quot;\" title=\"it&#39;s &lt;b&gt;\">link</a>")
    }

    @Test func rawHTMLIsWrittenVerbatim() {
        #expect(div { RawHTML("<b>bold</b>") }.renderedHTML() == "<div><b>bold</b></div>")
    }

    @Test func builderSupportsConditionsLoopsAndVoidElements() {
        let items = ["a", "<b>"]
        let show = false
        let html = ul(.class("list")) {
            for item in items {
                li { item }
            }
            if show {
                li { "hidden" }
            } else {
                li { input(.name("q"), .attr("required")) }
            }
            li { 42 }
        }.renderedHTML()
        #expect(html == "<ul class=\"list\"><li>a</li><li>&lt;b&gt;</li><li><input name=\"q\" required></li><li>42</li></ul>")
    }

    @Test func nonASCIITextIsKept() {
        #expect(span { "héllo → 世界 & 👋" }.renderedHTML() == "<span>héllo → 世界 &amp; 👋</span>")
    }

    /// A component of an app's own that implements only the `String` rendering.
    struct Badge: HTML {
        let label: String
        func render(into output: inout String) { output += "<b data-x=\"1\">\(label)</b>" }
    }

    @Test func byteRenderingMatchesStringRendering() {
        let pages: [any HTML] = [
            p { "<script>alert('x') & \"y\"</script>" },
            a(.href("/x?a=1&b=\"2\""), .attr("title", "it's <b>"), .attr("hidden")) { "link" },
            div { RawHTML("<b>bold</b>"); br(); input(.name("q")) },
            span { "héllo → 世界 & 👋"; Badge(label: "mine"); 42 },
            Fragment { "a&b"; "'\"'" },
            "plain & text",
            RawHTML("<i>raw</i>"),
            Badge(label: "alone"),
        ]
        for page in pages {
            var output = HTMLOutput()
            page.render(into: &output)
            var text = ""
            page.render(into: &text)
            #expect(String(decoding: output.bytes, as: UTF8.self) == text)
        }
    }
}
