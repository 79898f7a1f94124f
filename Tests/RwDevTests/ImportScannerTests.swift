import Testing

@testable import RwDev

@Suite struct ImportScannerTests {
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

@Suite struct DependencyMapTests {
    @Test func mapsImportedModulesToDeclaredProducts() {
        let map = DependencyMap(
            productForModule: ["RwSDK": "RwSDK", "Algorithms": "Algorithms", "my_lib": "MyLib"],
            targetForModule: ["RwSDK": "RwSDK", "Algorithms": "Algorithms", "my_lib": "my-lib"])
        #expect(map.provided(["Foundation", "Algorithms", "my_lib"]) == ["Algorithms", "my_lib"])
        #expect(map.targets(for: ["RwSDK", "my_lib"]) == ["RwSDK", "my-lib"])
        #expect(DependencyMap.moduleName(of: "swift-numerics") == "swift_numerics")
    }
}

@Suite struct GateTests {
    @Test func waitsWhileClosedAndOpensWhenEveryReasonIsOver() async {
        let gate = Gate()
        #expect(await gate.pass(timeout: .seconds(1)))
        let build = gate.close(.building(generation: 2))
        let restart = gate.close(.restartingRunner)
        let waiter = Task { await gate.pass(timeout: .seconds(60)) }
        while gate.waiting == 0 { await Task.yield() }
        gate.open(build)
        gate.open(build)
        #expect(gate.waiting == 1, "one hold is left (opening a token twice ends only its own hold), so the request still waits")
        #expect(gate.reason == "restarting the runner")
        gate.open(restart)
        #expect(await waiter.value)
        #expect(gate.reason == nil)
    }

    @Test func aClosedGateTimesOut() async {
        let gate = Gate()
        _ = gate.close(.building(generation: 1))
        #expect(await gate.pass(timeout: .milliseconds(20)) == false)
    }
}
