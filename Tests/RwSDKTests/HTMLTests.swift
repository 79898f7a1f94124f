import Testing

@testable import RwSDK

@Suite(.timeLimit(.minutes(5))) struct HTMLTests {
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

    /// Runs of plain bytes are found with the C library, which stops at NUL: a NUL is kept and
    /// what follows it is still escaped; long runs, bridged strings and substrings' copies too.
    @Test func escapingGoesOnPastNULAndOverLongRuns() {
        #expect(p { "a\u{0}<b\u{0}" }.renderedHTML() == "<p>a\u{0}&lt;b\u{0}</p>")
        #expect(p(.attr("title", "\u{0}\"")) { "" }.renderedHTML() == "<p title=\"\u{0}&quot;\"></p>")
        let long = String(repeating: "x", count: 5000) + "&" + String(repeating: "y", count: 5000)
        #expect(p { long }.renderedHTML() == "<p>" + String(repeating: "x", count: 5000) + "&amp;" + String(repeating: "y", count: 5000) + "</p>")
        let sliced = String("--<i>--".dropFirst(2).dropLast(2))
        #expect(span { sliced }.renderedHTML() == "<span>&lt;i&gt;</span>")
    }

    /// An output copied and then written to on both sides stays two independent values.
    @Test func aCopiedOutputIsIndependent() {
        var first = HTMLOutput(capacity: 16)
        first.append(text: "shared ")
        var second = first
        first.append(text: "first")
        second.append(text: "second, " + String(repeating: "z", count: 100))
        #expect(String(decoding: first.bytes, as: UTF8.self) == "shared first")
        #expect(String(decoding: second.bytes, as: UTF8.self) == "shared second, " + String(repeating: "z", count: 100))
        #expect(first.count == 12)
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
        #expect(
            span {
                Badge(label: "<mine>")
                42
            }.renderedHTML() == "<span><b data-x=\"1\">&lt;mine&gt;</b>42</span>")
        #expect(
            Fragment {
                "a&b"
                "'\"'"
            }.renderedHTML() == "a&amp;b'\"'")
        #expect(p(.attr("title", "it's \"<b>\"")) { "x" }.renderedHTML() == "<p title=\"it&#39;s &quot;&lt;b&gt;&quot;\">x</p>")
    }
}
