import Foundation
import Testing

@testable import RwDev

@Suite(.timeLimit(.minutes(5))) struct DependencyMapTests {
    @Test func mapsImportedModulesToDeclaredProducts() {
        let map = DependencyMap(
            productForModule: ["RwSDK": "RwSDK", "Algorithms": "Algorithms", "my_lib": "MyLib"],
            targetForModule: ["RwSDK": "RwSDK", "Algorithms": "Algorithms", "my_lib": "my-lib"])
        #expect(map.provided(["Foundation", "Algorithms", "my_lib"]) == ["Algorithms", "my_lib"])
        #expect(map.targets(for: ["RwSDK", "my_lib"]) == ["RwSDK", "my-lib"])
        #expect(DependencyMap.moduleName(of: "swift-numerics") == "swift_numerics")
    }

    /// The map is saved in `.rw/` and read back while the manifests it came from stay the same;
    /// an edit of a path dependency's manifest makes SwiftPM answer again.
    @Test func theSavedMapIsUsedUntilAManifestChanges() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-dependency-map-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let kit = folder.appendingPathComponent("Vendor/kit-a")
        func writeKit(target: String) throws {
            try DevPackageTests.writePackage(
                at: kit,
                """
                // swift-tools-version: 6.0
                import PackageDescription
                let package = Package(name: "kit-a", products: [.library(name: "Kit", targets: ["\(target)"])], targets: [.target(name: "\(target)")])

                """, targets: [target])
        }
        try DevPackageTests.writePackage(
            at: folder.appendingPathComponent("Vendor/sdk"), DevPackageTests.library(package: "RwSDK", product: "RwSDK"), targets: ["RwSDK"])
        try writeKit(target: "KitCore")
        try DevPackageTests.writePackage(
            at: folder,
            DevPackageTests.app(
                kit: "kit-a", targets: "", appDependencies: #".product(name: "Kit", package: "kit-a"), .product(name: "RwSDK", package: "RwSDK")"#),
            targets: ["App"])
        let package = try DevPackage(path: folder.path)

        let first = try await DependencyMap.of(package)
        #expect(first.targetForModule["KitCore"] == "KitCore")
        let saved = package.cacheDirectory.appendingPathComponent("dependencies.json")
        #expect(FileManager.default.fileExists(atPath: saved.path))
        let savedAt = try FileManager.default.attributesOfItem(atPath: saved.path)[.modificationDate] as? Date
        #expect(try await DependencyMap.of(package) == first)
        #expect(try FileManager.default.attributesOfItem(atPath: saved.path)[.modificationDate] as? Date == savedAt, "read, not asked again")

        try writeKit(target: "KitMain")
        let second = try await DependencyMap.of(package)
        #expect(second.targetForModule["KitMain"] == "KitMain")
        #expect(second.targetForModule["KitCore"] == nil)
    }
}
