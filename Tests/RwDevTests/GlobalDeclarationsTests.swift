import Foundation
import Testing

@testable import RwDev

/// The scan that tells a reload which globals' declarations changed.
@Suite struct GlobalDeclarationsTests {
    static let source = """
        import RwSDK
        // let commented = 1
        public let app = defineApp {
            route("/") { _ in "hi" }
        }
        nonisolated(unsafe) var hits = 0
        let signingKey = SigningKey(size: 256)  // a comment
        enum Caches {
            static let shared = PageCache()
            let instanceProperty = 1
            func method() { let local = 2 }
        }
        func free() { let local = 3 }
        """

    private func scan(_ text: String) -> GlobalDeclarations {
        GlobalDeclarations(declarations: GlobalDeclarations.scan(text, module: "App"))
    }

    @Test func findsGlobalsAndStaticsWithTheirWholeStatement() {
        let found = scan(Self.source).declarations
        #expect(found.keys.sorted() == ["App.Caches.shared", "App.app", "App.hits", "App.signingKey"])
        #expect(found["App.app"]?.initializer.contains(#"route ( "/" )"#) == true)
        #expect(found["App.signingKey"] == .init(head: "let signingKey", initializer: "SigningKey ( size : 256 )"))
        #expect(found["App.hits"]?.head == "nonisolated ( unsafe ) var hits")
    }

    @Test func namesTheChangedDeclarationsOnly() {
        let before = scan(Self.source)
        let after = scan(
            Self.source.replacingOccurrences(of: "size: 256", with: "size: 512")
                .replacingOccurrences(of: "var hits = 0", with: "var hits: Int = 0")
                .replacingOccurrences(of: "func method() { let local = 2 }", with: "func method() { let local = 5 }"))
        #expect(after.changes(since: before) == ["App.signingKey": "initializer changed", "App.hits": "declaration changed"])
        #expect(before.changes(since: before).isEmpty)
    }

    @Test func anInitializerSpanningLinesIsOneDeclaration() {
        let before = scan(Self.source)
        let after = scan(Self.source.replacingOccurrences(of: #"route("/") { _ in "hi" }"#, with: #"route("/") { _ in "hello" }"#))
        #expect(after.changes(since: before) == ["App.app": "initializer changed"])
    }

    /// What a line-based scan would miss or misread: type bodies on one line, nested types,
    /// comments and strings holding braces or declarations, attributes on an earlier line,
    /// initializers continued on the next line.
    @Test func followsTypeBodiesCommentsAndStringsExactly() {
        let source = #"""
            enum Config { static let retries = 3; static var label = "{" }
            struct Outer {
                struct Inner { static let limit = 10 }
                static let braces = "}}}"
            }
            extension Outer.Inner {
                static let more = #"raw " } "#
            }
            /* let commented = 1
               /* nested */ let stillCommented = 2 */
            @MainActor
            let onMain = Screen()
            let total = base
                + extra
            var optional: Int?
            let afterOptional = 5
            let text = """
                { not a scope
                """
            let afterText = 6
            class Store { class var shared: Store { Store() }; static let instance = Store() }
            """#
        let found = scan(source).declarations
        #expect(
            found.keys.sorted() == [
                "App.Config.label", "App.Config.retries", "App.Outer.Inner.limit", "App.Outer.Inner.more", "App.Outer.braces",
                "App.Store.instance", "App.Store.shared", "App.afterOptional", "App.afterText", "App.onMain", "App.optional", "App.text",
                "App.total"
            ])
        #expect(found["App.Config.retries"]?.initializer == "3")
        #expect(found["App.Config.label"]?.initializer == #""{""#)
        #expect(found["App.onMain"]?.head == "@MainActor let onMain")
        #expect(found["App.total"]?.initializer == "base + extra")
        #expect(found["App.optional"] == .init(head: "var optional : Int ?", initializer: ""))
        #expect(found["App.Outer.Inner.more"]?.initializer == ##"#"raw " } "#"##)
    }

    @Test func reformattingIsNoChangeButAnEditInsideAStringIs() {
        let before = scan("enum E { static let greeting = \"hi\" }\nlet sum = 1+2")
        #expect(scan("enum E {\n    static let greeting   =   \"hi\"\n}\nlet sum = 1 + 2").changes(since: before).isEmpty)
        #expect(scan("enum E { static let greeting = \"hi \" }\nlet sum = 1+2").changes(since: before) == ["App.E.greeting": "initializer changed"])
    }
}
