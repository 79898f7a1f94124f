import Foundation
import Testing

@testable import RwDev

@Suite struct LiveReloadTests {
    @Test func eventsAreServerSentEventFramesWithJSONData() {
        #expect(LiveEvent.hello(session: "s-1").frame == "event: hello\ndata: s-1\n\n")
        #expect(LiveEvent.update(generation: 7).frame == "event: update\ndata: {\"generation\":7}\n\n")
        #expect(
            LiveEvent.asset(path: "/styles.css", url: "/styles.css?v=ab").frame
                == "event: asset\ndata: {\"path\":\"\\/styles.css\",\"url\":\"\\/styles.css?v=ab\"}\n\n")
        #expect(LiveEvent.reload(reason: "why").frame == "event: reload\ndata: {\"reason\":\"why\"}\n\n")
        // A newline in a message stays inside the JSON string: one data line.
        let error = LiveEvent.error(title: "Build failed", message: "a\nb").frame
        #expect(error == "event: error\ndata: {\"message\":\"a\\nb\",\"title\":\"Build failed\"}\n\n")
    }

    @Test func aNewConnectionHearsHelloThenTheCurrentErrorUntilTheNextUpdate() async {
        let live = LiveReload()
        await live.error(title: "T", message: "M")
        var first = await live.subscribe().makeAsyncIterator()
        #expect(await first.next()?.hasPrefix("event: hello\n") == true)
        #expect(await first.next()?.hasPrefix("event: error\n") == true)
        await live.update(generation: 2)
        #expect(await first.next() == "event: update\ndata: {\"generation\":2}\n\n")
        var second = await live.subscribe().makeAsyncIterator()
        #expect(await second.next()?.hasPrefix("event: hello\n") == true)
        await live.reload(reason: "r")
        #expect(await second.next() == "event: reload\ndata: {\"reason\":\"r\"}\n\n", "no error after the update")
    }

    @Test func everyBrowserGetsAHeartbeatWhileNothingHappens() async {
        let live = LiveReload(heartbeat: .milliseconds(20))
        var browser = await live.subscribe().makeAsyncIterator()
        #expect(await browser.next()?.hasPrefix("event: hello\n") == true)
        #expect(await browser.next() == ":\n\n")
        #expect(await browser.next() == ":\n\n")
    }

    @Test func aLongErrorIsCutAtAScalarBoundaryAndSaysHowMuchIsLeft() {
        let short = String(repeating: "e", count: LiveReload.maxMessageBytes)
        #expect(LiveReload.cut(short) == short, "a message of exactly the limit is kept whole")
        // "é" is two bytes: with one ASCII byte first, the limit falls inside an "é".
        let long = "x" + String(repeating: "é", count: LiveReload.maxMessageBytes)
        let cut = LiveReload.cut(long)
        let kept = cut.prefix { $0 != "\n" }
        #expect(kept.utf8.count == LiveReload.maxMessageBytes - 1)
        #expect(kept.allSatisfy { $0 == "x" || $0 == "é" }, "no replacement character: no half scalar")
        #expect(cut.hasSuffix("\n… \(long.utf8.count - kept.utf8.count) more bytes in the terminal"))
    }

    @Test func thePageOfAPostIsMarkedAndTheScriptsAreEmbedded() {
        let page = Array("<html><body><p>x</p></body></html>".utf8)
        #expect(
            String(decoding: LiveReload.inject(into: page), as: UTF8.self)
                == #"<html><body><p>x</p><script type="module" src="/_rw/live.js"></script></body></html>"#)
        #expect(String(decoding: LiveReload.inject(into: page, method: "POST"), as: UTF8.self).contains(#"data-rw-method="POST""#))
        for (path, marker) in [
            ("/_rw/live.js", "new EventSource(\"/_rw/events\")"), ("/_rw/morph.js", "export function morph"), ("/_rw/overlay.js", "export function showOverlay")
        ] {
            let script = String(decoding: LiveReload.scripts[path] ?? [], as: UTF8.self)
            #expect(script.contains(marker), "\(path) is the embedded file")
        }
    }
}
