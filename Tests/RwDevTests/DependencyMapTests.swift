import Testing

@testable import RwDev

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
