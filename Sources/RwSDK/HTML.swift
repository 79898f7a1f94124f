/// Something that renders as HTML: an element, text, a fragment, or a server component.
///
/// Text and attribute values are escaped when rendered (by ``HTMLOutput``, the one renderer and
/// escaper); only ``RawHTML`` and ``HTMLOutput/append(markup:)`` write markup verbatim.
public protocol HTML: SendableMetatype {
    /// Appends this content's markup to `output` as UTF-8 bytes.
    func render(into output: inout HTMLOutput)
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
