import Foundation
import Testing

/// The requestInfo playground's sources and the components committed commented out in them,
/// between `// rw-playground: begin KIND` and `// rw-playground: end KIND` lines.
///
/// Keeps the committed text of every source so ``restore()`` can put it back.
final class RequestInfoPlayground: Sendable {
    /// The kinds of commented-out component, in the order the dev test brings them in.
    enum Kind: String, CaseIterable, Sendable {
        case client, action, plain
    }

    static let directory = Paths.root.appendingPathComponent("playground/requestInfo")
    static let sources = directory.appendingPathComponent("Sources/RequestInfoApp")
    /// Where the playground tests put their screenshots and step timings (not committed).
    static let output = Paths.root.appendingPathComponent("test-output/requestInfo")

    private let originals: [(file: URL, text: String)]

    /// Reads the sources and checks that every kind of component is still commented out.
    init() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.sources, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        originals = try files.map { ($0, try String(contentsOf: $0, encoding: .utf8)) }
        for kind in Kind.allCases {
            let blocks = originals.filter { $0.text.contains(Self.begin(kind)) }
            try #require(blocks.count >= 2, "the \(kind) component and its use should be commented out in the sources")
            let uncommented = blocks.flatMap { Self.blockLines(of: kind, in: $0.text) }.filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            try #require(uncommented.isEmpty, "the \(kind) component is not committed commented out: \(uncommented)")
        }
    }

    /// Saves every source holding a `kind` block with that block uncommented, the files that
    /// define the component before the files that use it, each in one write.
    func uncomment(_ kind: Kind) throws {
        let edited = try originals.compactMap { file, _ -> (URL, String, Bool)? in
            let text = try String(contentsOf: file, encoding: .utf8)
            guard text.contains(Self.begin(kind)) else { return nil }
            return (file, Self.uncomment(kind, in: text), text.hasPrefix(Self.begin(kind)))
        }
        for (file, text, _) in edited.sorted(by: { $0.2 && !$1.2 }) {
            try text.write(to: file, atomically: false, encoding: .utf8)
        }
    }

    /// Puts the committed text of every source back.
    func restore() {
        for (file, text) in originals where (try? String(contentsOf: file, encoding: .utf8)) != text {
            try? text.write(to: file, atomically: false, encoding: .utf8)
        }
    }

    private static func begin(_ kind: Kind) -> String { "// rw-playground: begin \(kind.rawValue)" }
    private static func end(_ kind: Kind) -> String { "// rw-playground: end \(kind.rawValue)" }

    /// The lines between the begin and end markers of `kind`.
    private static func blockLines(of kind: Kind, in text: String) -> [Substring] {
        var inside = false
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let marker = line.trimmingCharacters(in: .whitespaces)
            if marker == begin(kind) { inside = true } else if marker == end(kind) { inside = false } else if inside { lines.append(line) }
        }
        return lines
    }

    /// `text` with the `//` (and one space after it) removed from each line of the `kind` blocks.
    static func uncomment(_ kind: Kind, in text: String) -> String {
        var inside = false
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let marker = line.trimmingCharacters(in: .whitespaces)
            if marker == begin(kind) {
                inside = true
                return String(line)
            }
            if marker == end(kind) {
                inside = false
                return String(line)
            }
            guard inside, let slashes = line.firstRange(of: "//"),
                line[line.startIndex..<slashes.lowerBound].allSatisfy(\.isWhitespace)
            else { return String(line) }
            var rest = line[slashes.upperBound...]
            if rest.first == " " { rest = rest.dropFirst() }
            return String(line[line.startIndex..<slashes.lowerBound] + rest)
        }.joined(separator: "\n")
    }
}

/// Durations of the named steps of a test, written to a file and to standard error.
final class StepTimes: @unchecked Sendable {
    private let clock = ContinuousClock()
    private var start: ContinuousClock.Instant
    private(set) var lines: [String] = []

    init() { start = clock.now }

    /// Records the time since the previous mark (or creation) under `name`.
    func mark(_ name: String) {
        let now = clock.now
        let elapsed = now - start
        start = now
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let line = "\(name): \(milliseconds) ms"
        lines.append(line)
        FileHandle.standardError.write(Data("[step] \(line)\n".utf8))
    }

    /// Writes the recorded steps to `file`.
    func write(to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    }
}
