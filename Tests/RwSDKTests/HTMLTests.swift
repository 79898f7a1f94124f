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

    /// A component of an app's own, writing trusted markup around escaped text.
    struct Badge: HTML {
        let label: String
        func render(into output: inout HTMLOutput) {
            output.append(markup: "<b data-x=\"1\">")
            output.append(text: label)
            output.append(markup: "</b>")
        }
    }

    @Test func componentsOfTheAppsOwnRenderThroughTheSameEscaper() {
        #expect(span { Badge(label: "<mine>"); 42 }.renderedHTML() == "<span><b data-x=\"1\">&lt;mine&gt;</b>42</span>")
        #expect(Fragment { "a&b"; "'\"'" }.renderedHTML() == "a&amp;b'\"'")
        #expect(p(.attr("title", "it's \"<b>\"")) { "x" }.renderedHTML() == "<p title=\"it&#39;s &quot;&lt;b&gt;&quot;\">x</p>")
    }
}
