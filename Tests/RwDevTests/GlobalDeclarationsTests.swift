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
        #expect(found["App.app"]?.initializer.contains(#"route("/")"#) == true)
        #expect(found["App.signingKey"] == .init(head: "let signingKey", initializer: "SigningKey(size: 256)"))
        #expect(found["App.hits"]?.head == "nonisolated(unsafe) var hits")
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
}
