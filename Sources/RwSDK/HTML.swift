/// Something that renders as HTML: an element, text, a fragment, or a server component.
///
/// Text and attribute values are escaped when rendered (by ``HTMLOutput``, the one renderer and
/// escaper); only ``RawHTML`` and ``HTMLOutput/append(markup:)`` write markup verbatim.
public protocol HTML: SendableMetatype {
    /// Appends this content's markup to `output` as UTF-8 bytes.
    func render(into output: inout HTMLOutput)
}

/// Rendered markup as UTF-8 bytes: what a page is rendered into before it becomes a response
/// body, without intermediate strings.
///
/// Content that must be awaited (``Await``) is not rendered into the output: it is recorded at
/// its place in ``bytes``, and a page that has such content is streamed (see ``streamed()``).
public struct HTMLOutput: Sendable {
    /// The markup so far, without the content still to be awaited.
    public private(set) var bytes: [UInt8]

    /// Content still to be awaited, each with the offset in `bytes` where it goes, in order.
    private(set) var deferred: [(offset: Int, content: @Sendable () async throws -> any HTML)] = []

    /// An empty output with room for `capacity` bytes.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `markup` verbatim. Use only for trusted content.
    public mutating func append(markup: String) {
        var markup = markup
        markup.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends `text` with `&`, `<` and `>` escaped.
    public mutating func append(text: String) {
        appendEscaped(text, quotes: false)
    }

    /// Appends `value` with `&`, `<`, `>`, `"` and `'` escaped, safe inside a quoted attribute.
    public mutating func append(attributeValue value: String) {
        appendEscaped(value, quotes: true)
    }

    /// Records content to be awaited at the current end of the markup: a streamed page sends
    /// the markup before it, then awaits `content` and renders its result in its place.
    public mutating func append(awaiting content: @escaping @Sendable () async throws -> any HTML) {
        deferred.append((bytes.count, content))
    }

    /// Whether some content is still to be awaited.
    public var hasDeferredContent: Bool { !deferred.isEmpty }

    /// The markup up to the first content to be awaited, and the rest as a stream: pieces of
    /// markup in order, each awaited content rendered (and streamed in turn) in its place. The
    /// stream is `nil` when nothing is to be awaited.
    public func streamed() -> (first: [UInt8], rest: RwBodyStream?) {
        guard let first = deferred.first else { return (bytes, nil) }
        let output = self
        let rest = RwBodyStream {
            // Step 2k of an output is its markup from content k-1 to content k, step 2k+1 awaits
            // content k; the innermost content being streamed is on top of the stack. The first
            // markup of the page (step 0) is `first`.
            var stack: [(output: HTMLOutput, step: Int)] = [(output, 1)]
            return {
                while let (output, step) = stack.popLast() {
                    let count = output.deferred.count
                    guard step <= 2 * count else { continue }
                    stack.append((output, step + 1))
                    let index = step / 2
                    if step % 2 == 1 {
                        var inner = HTMLOutput(capacity: 1024)
                        try await output.deferred[index].content().render(into: &inner)
                        stack.append((inner, 0))
                    } else {
                        let start = index == 0 ? 0 : output.deferred[index - 1].offset
                        let end = index < count ? output.deferred[index].offset : output.bytes.count
                        if end > start { return Array(output.bytes[start..<end]) }
                    }
                }
                return nil
            }
        }
        return (Array(bytes[..<first.offset]), rest)
    }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    private mutating func appendEscaped(_ text: String, quotes: Bool) {
        var text = text
        text.withUTF8 { source in
            guard let base = source.baseAddress else { return }
            // Runs of bytes that need no entity are appended whole.
            var start = 0
            var index = 0
            while index < source.count {
                let entity: StaticString
                switch base[index] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): if quotes { entity = "&quot;" } else { index += 1; continue }
                case UInt8(ascii: "'"): if quotes { entity = "&#39;" } else { index += 1; continue }
                default: index += 1; continue
                }
                if index > start { bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start)) }
                append(entity)
                index += 1
                start = index
            }
            if source.count > start { bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: source.count - start)) }
        }
    }
}

extension HTML {
    /// This content's markup as a string (rendered into bytes, then decoded).
    public func renderedHTML() -> String {
        var output = HTMLOutput(capacity: 1024)
        render(into: &output)
        return String(decoding: output.bytes, as: UTF8.self)
    }
}

/// Text renders escaped: `<`, `>` and `&` can never start markup.
extension String: HTML {
    public func render(into output: inout HTMLOutput) {
        output.append(text: self)
    }
}

/// Markup written exactly as given, without escaping. Use only for trusted content.
public struct RawHTML: HTML, Sendable {
    /// The markup.
    public let markup: String

    /// Wraps trusted markup.
    public init(_ markup: String) { self.markup = markup }

    public func render(into output: inout HTMLOutput) { output.append(markup: markup) }
}

/// A sequence of HTML content rendered one after another.
public struct Fragment: HTML {
    /// The parts, in order.
    public let children: [any HTML]

    /// Creates a fragment of `children`.
    public init(_ children: [any HTML]) { self.children = children }

    /// Creates a fragment from builder content.
    public init(@HTMLBuilder _ content: () -> Fragment) { self = content() }

    public func render(into output: inout HTMLOutput) {
        // By index: each child renders in place instead of being copied out of the array.
        for index in children.indices { children[index].render(into: &output) }
    }
}

/// Composes HTML content from statements, `if`, `switch` and `for` loops.
@resultBuilder
public enum HTMLBuilder {
    public static func buildExpression(_ content: any HTML) -> any HTML { content }
    public static func buildExpression(_ text: String) -> any HTML { text }
    public static func buildExpression<T: CustomStringConvertible>(_ value: T) -> any HTML { value.description }
    public static func buildBlock(_ parts: any HTML...) -> Fragment { Fragment(parts) }
    public static func buildOptional(_ part: Fragment?) -> Fragment { part ?? Fragment([]) }
    public static func buildEither(first part: Fragment) -> Fragment { part }
    public static func buildEither(second part: Fragment) -> Fragment { part }
    public static func buildArray(_ parts: [Fragment]) -> Fragment { Fragment(parts) }
    public static func buildLimitedAvailability(_ part: Fragment) -> Fragment { part }
}
