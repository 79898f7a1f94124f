import Foundation
import Testing

@testable import RwDev

/// How `rw dev` finds the app target and the local targets below it, from SwiftPM's description.
@Suite(.timeLimit(.minutes(5))) struct DevPackageTests {
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
                    product_dependencies: ["RwServer"], target_dependencies: ["Shop"])
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

    /// Writes a package at `folder` with `manifest`, and `Sources/<target>/<target>.swift` for
    /// each of `targets`.
    static func writePackage(at folder: URL, _ manifest: String, targets: [String]) throws {
        for target in targets {
            let sources = folder.appendingPathComponent("Sources/\(target)")
            try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
            try "public let \(target.lowercased()) = 1\n".write(to: sources.appendingPathComponent("\(target).swift"), atomically: true, encoding: .utf8)
        }
        try manifest.write(to: folder.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
    }

    static func library(package name: String, product: String) -> String {
        """
        // swift-tools-version: 6.0
        import PackageDescription
        let package = Package(name: "\(name)", products: [.library(name: "\(product)", targets: ["\(product)"])], targets: [.target(name: "\(product)")])

        """
    }

    static func app(kit: String, targets: String, appDependencies: String) -> String {
        """
        // swift-tools-version: 6.0
        import PackageDescription
        let package = Package(
            name: "app",
            dependencies: [.package(name: "RwSDK", path: "Vendor/sdk"), .package(path: "Vendor/\(kit)")],
            targets: [\(targets) .target(name: "App", dependencies: [\(appDependencies)])])

        """
    }

    /// The signature changes with the declared dependencies and the products local targets use,
    /// and only then: a local target added to Package.swift keeps the deps image as it is.
    @Test func theDependencySignatureFollowsDeclaredPackagesAndProductsOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-signature-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writePackage(at: folder.appendingPathComponent("Vendor/sdk"), Self.library(package: "RwSDK", product: "RwSDK"), targets: ["RwSDK"])
        try Self.writePackage(at: folder.appendingPathComponent("Vendor/kit-a"), Self.library(package: "kit-a", product: "Kit"), targets: ["Kit"])
        try Self.writePackage(at: folder.appendingPathComponent("Vendor/kit-b"), Self.library(package: "kit-b", product: "Kit"), targets: ["Kit"])
        let sdk = #".product(name: "RwSDK", package: "RwSDK")"#

        try Self.writePackage(at: folder, Self.app(kit: "kit-a", targets: "", appDependencies: sdk), targets: ["App"])
        let first = try DevPackage(path: folder.path)
        #expect(first.pathDependencies.map(\.lastPathComponent) == ["sdk", "kit-a"])

        try Self.writePackage(
            at: folder, Self.app(kit: "kit-a", targets: #".target(name: "Extra"),"#, appDependencies: #""Extra", "# + sdk), targets: ["App", "Extra"])
        let withTarget = try DevPackage(path: folder.path)
        #expect(withTarget.targets.map(\.name) == ["Extra", "App"])
        #expect(withTarget.dependencySignature == first.dependencySignature, "a new local target")

        try Self.writePackage(
            at: folder,
            Self.app(kit: "kit-a", targets: #".target(name: "Extra"),"#, appDependencies: #""Extra", .product(name: "Kit", package: "kit-a"), "# + sdk),
            targets: ["App", "Extra"])
        #expect(try DevPackage(path: folder.path).dependencySignature != withTarget.dependencySignature, "a product newly used")

        try Self.writePackage(
            at: folder, Self.app(kit: "kit-b", targets: #".target(name: "Extra"),"#, appDependencies: #""Extra", "# + sdk), targets: ["App", "Extra"])
        #expect(try DevPackage(path: folder.path).dependencySignature != withTarget.dependencySignature, "another package declared")
    }
}
