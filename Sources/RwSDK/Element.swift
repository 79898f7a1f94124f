/// One attribute of an element; its value is escaped when rendered.
public struct Attribute: Sendable, Equatable {
    /// The attribute name.
    public let name: String
    /// The value; `nil` renders a boolean attribute (name only).
    public let value: String?

    /// Creates an attribute.
    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }

    /// Any attribute by name.
    public static func attr(_ name: String, _ value: String? = nil) -> Attribute { Attribute(name, value) }
    /// `class="…"`.
    public static func `class`(_ value: String) -> Attribute { Attribute("class", value) }
    /// `id="…"`.
    public static func id(_ value: String) -> Attribute { Attribute("id", value) }
    /// `href="…"`.
    public static func href(_ value: String) -> Attribute { Attribute("href", value) }
    /// `src="…"`.
    public static func src(_ value: String) -> Attribute { Attribute("src", value) }
    /// `type="…"`.
    public static func type(_ value: String) -> Attribute { Attribute("type", value) }
    /// `name="…"`.
    public static func name(_ value: String) -> Attribute { Attribute("name", value) }
    /// `value="…"`.
    public static func value(_ value: String) -> Attribute { Attribute("value", value) }
    /// `rel="…"`.
    public static func rel(_ value: String) -> Attribute { Attribute("rel", value) }
    /// `lang="…"`.
    public static func lang(_ value: String) -> Attribute { Attribute("lang", value) }
    /// `charset="…"`.
    public static func charset(_ value: String) -> Attribute { Attribute("charset", value) }
    /// `content="…"`.
    public static func content(_ value: String) -> Attribute { Attribute("content", value) }
    /// `method="…"`.
    public static func method(_ value: String) -> Attribute { Attribute("method", value) }
    /// `action="…"` with a URL.
    public static func action(_ value: String) -> Attribute { Attribute("action", value) }
    /// `style="…"`.
    public static func style(_ value: String) -> Attribute { Attribute("style", value) }
    /// `data-<name>="…"`.
    public static func data(_ name: String, _ value: String) -> Attribute { Attribute("data-" + name, value) }
}

/// An HTML element with attributes and children.
public struct Element: HTML {
    /// The tag name.
    public var name: String { tag.name }
    /// The attributes, rendered in order.
    public let attributes: [Attribute]
    /// The children; `nil` for void elements such as `<br>`, which have no closing tag.
    public let children: Fragment?
    /// The tag, shared by every element of that name the functions below make: with it an
    /// element takes three words and is held in place by `any HTML` instead of in a box of its
    /// own, one allocation less per element of a page.
    let tag: Tag

    /// Creates an element with children.
    public init(_ name: String, _ attributes: [Attribute] = [], @HTMLBuilder _ content: () -> Fragment = { Fragment([]) }) {
        self.init(Tag.named(name), attributes, content)
    }

    /// Creates a void element (no children, no closing tag).
    public init(void name: String, _ attributes: [Attribute]) {
        self.init(void: Tag.named(name), attributes)
    }

    init(_ tag: Tag, _ attributes: [Attribute] = [], @HTMLBuilder _ content: () -> Fragment = { Fragment([]) }) {
        self.tag = tag
        self.attributes = attributes
        self.children = content()
    }

    init(void tag: Tag, _ attributes: [Attribute]) {
        self.tag = tag
        self.attributes = attributes
        self.children = nil
    }

    public func render(into output: inout HTMLOutput) {
        tag.markup.withUnsafeBufferPointer { output.append(bytes: UnsafeBufferPointer(rebasing: $0[..<tag.closingStart])) }
        for index in attributes.indices {
            output.append(byte: UInt8(ascii: " "))
            output.append(markup: attributes[index].name)
            if let value = attributes[index].value {
                output.append("=\"")
                output.append(attributeValue: value)
                output.append(byte: UInt8(ascii: "\""))
            }
        }
        output.append(byte: UInt8(ascii: ">"))
        guard let children else { return }
        children.render(into: &output)
        tag.markup.withUnsafeBufferPointer { output.append(bytes: UnsafeBufferPointer(rebasing: $0[tag.closingStart...])) }
    }

    /// An element's tag name, with its markup written once: `<name` and `</name>`, one after the
    /// other in `markup`. The element functions below use one shared tag per name, and so do
    /// elements made by name with one of those names (``named(_:)``).
    final class Tag: Sendable {
        let name: String
        /// `<name</name>`: the opening tag's start, then from `closingStart` the closing tag.
        let markup: [UInt8]
        let closingStart: Int

        init(_ name: String) {
            self.name = name
            markup = Array("<\(name)</\(name)>".utf8)
            closingStart = name.utf8.count + 1
        }

        /// The shared tag of `name` when there is one, otherwise a new tag.
        static func named(_ name: String) -> Tag { shared[name] ?? Tag(name) }

        private static let shared: [String: Tag] = Dictionary(
            uniqueKeysWithValues: [
                html, head, body, title, meta, link, script, style, main, header, footer, nav, section, div, span, p,
                h1, h2, h3, a, ul, ol, li, pre, code, strong, em, button, label, form, input, br, table, tr, th, td
            ].map { ($0.name, $0) })

        static let html = Tag("html"), head = Tag("head"), body = Tag("body"), title = Tag("title")
        static let meta = Tag("meta"), link = Tag("link"), script = Tag("script"), style = Tag("style")
        static let main = Tag("main"), header = Tag("header"), footer = Tag("footer"), nav = Tag("nav")
        static let section = Tag("section"), div = Tag("div"), span = Tag("span"), p = Tag("p")
        static let h1 = Tag("h1"), h2 = Tag("h2"), h3 = Tag("h3"), a = Tag("a")
        static let ul = Tag("ul"), ol = Tag("ol"), li = Tag("li"), pre = Tag("pre")
        static let code = Tag("code"), strong = Tag("strong"), em = Tag("em"), button = Tag("button")
        static let label = Tag("label"), form = Tag("form"), input = Tag("input"), br = Tag("br")
        static let table = Tag("table"), tr = Tag("tr"), th = Tag("th"), td = Tag("td")
    }
}

// MARK: - Elements by name

/// `<html>`.
public func html(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.html, attributes, content) }
/// `<head>`.
public func head(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.head, attributes, content) }
/// `<body>`.
public func body(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.body, attributes, content) }
/// `<title>`.
public func title(_ text: String) -> Element { Element(.title) { text } }
/// `<meta>`.
public func meta(_ attributes: Attribute...) -> Element { Element(void: .meta, attributes) }
/// `<link>`.
public func link(_ attributes: Attribute...) -> Element { Element(void: .link, attributes) }
/// `<script>` loading a URL; `type` defaults to a module.
public func script(src: String, type: String = "module") -> Element { Element(.script, [.type(type), .src(src)]) }
/// `<main>`.
public func main(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.main, attributes, content) }
/// `<header>`.
public func header(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.header, attributes, content) }
/// `<footer>`.
public func footer(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.footer, attributes, content) }
/// `<nav>`.
public func nav(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.nav, attributes, content) }
/// `<section>`.
public func section(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.section, attributes, content) }
/// `<div>`.
public func div(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment = { Fragment([]) }) -> Element { Element(.div, attributes, content) }
/// `<span>`.
public func span(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment = { Fragment([]) }) -> Element { Element(.span, attributes, content) }
/// `<p>`.
public func p(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.p, attributes, content) }
/// `<h1>`.
public func h1(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.h1, attributes, content) }
/// `<h2>`.
public func h2(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.h2, attributes, content) }
/// `<h3>`.
public func h3(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.h3, attributes, content) }
/// `<a>`.
public func a(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.a, attributes, content) }
/// `<ul>`.
public func ul(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.ul, attributes, content) }
/// `<ol>`.
public func ol(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.ol, attributes, content) }
/// `<li>`.
public func li(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.li, attributes, content) }
/// `<pre>`.
public func pre(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.pre, attributes, content) }
/// `<code>`.
public func code(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.code, attributes, content) }
/// `<strong>`.
public func strong(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.strong, attributes, content) }
/// `<em>`.
public func em(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.em, attributes, content) }
/// `<button>`.
public func button(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.button, attributes, content) }
/// `<label>`.
public func label(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.label, attributes, content) }
/// `<form>`.
public func form(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.form, attributes, content) }
/// `<input>`.
public func input(_ attributes: Attribute...) -> Element { Element(void: .input, attributes) }
/// `<br>`.
public func br() -> Element { Element(void: .br, []) }
/// `<table>`.
public func table(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.table, attributes, content) }
/// `<tr>`.
public func tr(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.tr, attributes, content) }
/// `<th>`.
public func th(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.th, attributes, content) }
/// `<td>`.
public func td(_ attributes: Attribute..., @HTMLBuilder content: () -> Fragment) -> Element { Element(.td, attributes, content) }
