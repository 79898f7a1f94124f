import Testing

@testable import RwDev

@Suite(.timeLimit(.minutes(5))) struct ImportScannerTests {
    @Test func findsEveryFormOfImport() {
        let source = """
            import Foundation
            @testable import Algorithms
            @_exported import Collections
            @preconcurrency import Logging
            import struct Numerics.Complex
            import func RealModule.exp
            import RwSDK.Submodule
            #if canImport(Glibc)
            import Glibc
            #elseif canImport(Darwin)
            #endif
            let text = "import NotAnImport"
            """
        #expect(
            ImportScanner.modules(in: source)
                == ["Foundation", "Algorithms", "Collections", "Logging", "Numerics", "RealModule", "RwSDK", "Glibc", "Darwin"])
    }

    @Test func commentedOutImportsDoNotCount() {
        let source = """
            // import Algorithms
            /* import Collections
               import Numerics */
            /* nested /* import Deep */ import StillComment */
            import RwSDK // import Trailing
            """
        #expect(ImportScanner.modules(in: source) == ["RwSDK"])
    }
}
