#if canImport(Glibc)
import Glibc
#endif
import MemberData

// Usage: RenderingBench [seconds per renderer]
// Renders the 500-row members page with each renderer, checks that each has the same content as
// the page written by hand (RwSDK's the same bytes) (and that the page by hand escapes what it must), then times each in
// turn, several rounds, and prints one JSON object: bytes and median microseconds per page.

let rows = members()
let renderers: [(name: String, render: ([Member]) -> [UInt8])] = [
    ("hand", membersPageByHand), ("rwsdk", renderRwSDK), ("mustache", renderMustache), ("plot", renderPlot),
]

func fail(_ message: String) -> Never {
    print("RenderingBench: \(message)")
    exit(1)
}

let reference = membersPageByHand(rows)
let expected = content(of: reference)
let referenceText = String(decoding: reference, as: UTF8.self)
for escapedPiece in [">Bob &lt;b&gt; 1<", #"title="Ann &quot;Q&quot; Lee 0""#, #"title="Chloé O&#39;Neil 2""#, ">Dara &amp; Sons 3<"] {
    if !referenceText.contains(escapedPiece) { fail("the page by hand lacks \(escapedPiece)") }
}
if expected.filter({ $0.hasPrefix("<tr ") }).count != rows.count { fail("the page by hand does not have \(rows.count) rows") }
// RwSDK escapes exactly as the page by hand does, so its page is the same bytes.
if renderRwSDK(rows) != reference { fail("RwSDK's page is not the bytes of the page by hand") }
var sizes: [String: Int] = [:]
for renderer in renderers {
    let page = renderer.render(rows)
    sizes[renderer.name] = page.count
    let got = content(of: page)
    if got != expected {
        let at = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, expected.count)
        fail("\(renderer.name) renders other content: at token \(at), \(at < got.count ? got[at] : "end") instead of \(at < expected.count ? expected[at] : "end")")
    }
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 1 : 1
let rounds = 5
var samples: [String: [Double]] = [:]
var sink = 0
for _ in 0..<rounds {
    for renderer in renderers {
        var count = 0
        let start = now()
        var elapsed = 0.0
        repeat {
            sink &+= renderer.render(rows).count
            count += 1
            elapsed = now() - start
        } while elapsed < seconds / Double(rounds)
        samples[renderer.name, default: []].append(elapsed / Double(count) * 1e6)
    }
}
let medians = samples.mapValues { $0.sorted()[$0.count / 2] }
let fields = renderers.map { "\"\($0.name)\": {\"bytes\": \(sizes[$0.name]!), \"us\": \(medians[$0.name]!)}" }
print("{" + fields.joined(separator: ", ") + ", \"rows\": \(rows.count), \"sink\": \(sink % 2)}")
