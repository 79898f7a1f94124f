import Foundation
import Testing

@testable import RwDev

/// How `rw dev` finds the app target and the local targets below it, from SwiftPM's description.
@Suite struct DevPackageTests {
    typealias Target = PackageDescription.Target

    static func library(_ name: String, targets: [String] = [], products: [String] = []) -> Target {
        Target(
            name: name, c99name: name.replacingOccurrences(of: "-", with: "_"), type: "library", module_type: "SwiftTarget",
            path: "Sources/\(name)", product_dependencies: products, target_dependencies: targets)
    }

    static func package(_ targets: [Target], dependencies: [PackageDescription.Dependency] = []) -> PackageDescription {
        PackageDescription(targets: targets, dependencies: dependencies)
    }

    static let folder = URL(fileURLWithPath: "/apps/shop")

    @Test func theAppIsTheRwSDKLibraryNoOtherLibraryDependsOn() throws {
        let description = Self.package(
            [
                Self.library("Shelf", products: ["RwSDK"]),
                Self.library("Catalog", targets: ["Shelf"]),
                Self.library("Shop", targets: ["Catalog", "Shelf"], products: ["RwSDK", "Algorithms"]),
                Target(
                    name: "shop", c99name: "shop", type: "executable", module_type: "SwiftTarget", path: "Sources/shop",
                    product_dependencies: ["RwServer"], target_dependencies: ["Shop"]),
            ],
            dependencies: [PackageDescription.Dependency(type: "fileSystem", path: "/sdk"), PackageDescription.Dependency(type: "sourceControl", path: nil)])
        let package = try DevPackage(directory: Self.folder, description: description, target: nil)
        #expect(package.appTarget == "Shop")
        #expect(package.targets.map(\.name) == ["Shelf", "Catalog", "Shop"], "lowest first")
        #expect(package.productDependencies == ["RwSDK", "Algorithms"])
        #expect(package.pathDependencies == [URL(fileURLWithPath: "/sdk")])
        #expect(package.target(containing: "/apps/shop/Sources/Catalog/Sub/File.swift")?.name == "Catalog")
        #expect(package.target(containing: "/apps/shop/Sources/CatalogExtra/File.swift") == nil)
    }

    @Test func anAppThroughALocalTargetIsFoundToo() throws {
        // The app target reaches RwSDK only through a target of its own.
        let description = Self.package([Self.library("Core", products: ["RwSDK"]), Self.library("App", targets: ["Core"])])
        #expect(try DevPackage(directory: Self.folder, description: description, target: nil).appTarget == "App")
    }

    @Test func twoUnrelatedAppsNeedTarget() throws {
        let description = Self.package([Self.library("Blog", products: ["RwSDK"]), Self.library("Shop", products: ["RwSDK"])])
        #expect(throws: RwError.self) { try DevPackage(directory: Self.folder, description: description, target: nil) }
        let chosen = try DevPackage(directory: Self.folder, description: description, target: "Blog")
        #expect(chosen.targets.map(\.name) == ["Blog"])
        #expect(throws: RwError.self) { try DevPackage(directory: Self.folder, description: description, target: "Nope") }
    }

    @Test func noRwSDKLibraryIsAnError() {
        let description = Self.package([Self.library("Tools")])
        #expect(throws: RwError.self) { try DevPackage(directory: Self.folder, description: description, target: nil) }
    }
}
