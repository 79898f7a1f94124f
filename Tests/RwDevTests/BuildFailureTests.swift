import Testing

@testable import RwDev

/// What a failed build of the app says.
@Suite struct BuildFailureTests {
    @Test func anAppTargetWithoutAppIsOneClearLineFirst() {
        let diagnostics = """
            /app/.rw/targets/ShopApp/rw-entry.swift:8:19: error: cannot find 'app' in scope
            6 |     let entry = ImageEntry(depsHash: "x") { request in
            """
        let explained = BuildFailure.explainingMissingApp(diagnostics, target: "ShopApp")
        #expect(explained.hasPrefix("The app target ShopApp defines no `app`: one of its files must declare `public let app = defineApp { … }`"))
        #expect(explained.hasSuffix(diagnostics), "the compiler's output follows")
    }

    @Test func otherErrorsAreLeftAsTheyAre() {
        let diagnostics = "/app/Sources/ShopApp/App.swift:3:5: error: cannot find 'app' in scope"
        #expect(BuildFailure.explainingMissingApp(diagnostics, target: "ShopApp") == diagnostics)
        let typo = "/app/.rw/targets/ShopApp/rw-entry.swift:8:19: error: something else"
        #expect(BuildFailure.explainingMissingApp(typo, target: "ShopApp") == typo)
    }
}
