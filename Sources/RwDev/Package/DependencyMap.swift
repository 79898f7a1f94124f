import Foundation
import RwSubprocess

/// Which library product of the app package's dependencies provides each importable module.
struct DependencyMap: Sendable, Equatable, Codable {
    /// Module name → product name, for the products the app target declares.
    let productForModule: [String: String]
    /// Module name → the target that builds it.
    let targetForModule: [String: String]
    /// The folder of the RwSDK package the app depends on (it holds the runner's sources).
    let sdkDirectory: URL?

    init(productForModule: [String: String], targetForModule: [String: String] = [:], sdkDirectory: URL? = nil) {
        self.productForModule = productForModule
        self.targetForModule = targetForModule
        self.sdkDirectory = sdkDirectory
    }

    /// The map of `package`: read from `.rw/dependencies.json` when the manifests it was made from
    /// (the package's Package.swift and Package.resolved, and the Package.swift of each package it
    /// depends on by path) have not changed since, otherwise asked of SwiftPM and saved there.
    /// SwiftPM's answer takes seconds: it compiles every manifest it reads.
    static func of(_ package: DevPackage) async throws -> DependencyMap {
        struct Saved: Codable {
            let key: String
            let map: DependencyMap
        }
        let file = package.cacheDirectory.appendingPathComponent("dependencies.json")
        var hash = StableHash()
        for manifest in [package.directory.appendingPathComponent("Package.resolved")] + package.watchedManifests {
            hash.combine(manifest.path)
            hash.combine((try? String(contentsOf: manifest, encoding: .utf8)) ?? "(none)")
        }
        let key = hash.short
        if let data = try? Data(contentsOf: file), let saved = try? JSONDecoder().decode(Saved.self, from: data), saved.key == key {
            return saved.map
        }
        let map = try await DependencyMap(package: package)
        try? FileManager.default.createDirectory(at: package.cacheDirectory, withIntermediateDirectories: true)
        try? JSONEncoder().encode(Saved(key: key, map: map)).write(to: file, options: .atomic)
        return map
    }

    /// Asks SwiftPM for the app package's direct dependencies and reads their manifests.
    init(package: DevPackage) async throws {
        let tree = try await Self.json(["swift", "package", "--package-path", package.directory.path, "show-dependencies", "--format", "json"])
        struct Node: Decodable {
            let path: String
            let dependencies: [Node]
        }
        let root = try JSONDecoder().decode(Node.self, from: tree)
        struct Manifest: Decodable {
            struct Product: Decodable {
                let name: String
                let targets: [String]
            }
            let products: [Product]
        }
        let wanted = Set(package.productDependencies)
        // Manifests are read with a scratch folder of our own: the dependency's own .build may be
        // locked by another SwiftPM (a path dependency being built or tested right now).
        let scratch = package.cacheDirectory.appendingPathComponent("manifests").path
        var map: [String: String] = [:]
        var targets: [String: String] = [:]
        var sdkDirectory: URL?
        for dependency in root.dependencies {
            let data = try await Self.json([
                "swift", "package", "--package-path", dependency.path, "--scratch-path", scratch, "dump-package"
            ])
            let manifest = try JSONDecoder().decode(Manifest.self, from: data)
            if manifest.products.contains(where: { $0.name == "RwSDK" }) && manifest.products.contains(where: { $0.name == "RwState" }) {
                sdkDirectory = URL(fileURLWithPath: dependency.path)
            }
            for product in manifest.products where wanted.contains(product.name) {
                for target in product.targets {
                    map[Self.moduleName(of: target)] = product.name
                    targets[Self.moduleName(of: target)] = target
                }
            }
        }
        self.productForModule = map
        self.targetForModule = targets
        self.sdkDirectory = sdkDirectory
    }

    /// The targets that build `modules` (a module without a known target is its own target).
    func targets(for modules: [String]) -> [String] {
        modules.map { targetForModule[$0] ?? $0 }
    }

    /// The modules of `modules` that some declared product provides.
    func provided(_ modules: Set<String>) -> Set<String> {
        modules.filter { productForModule[$0] != nil }
    }

    /// The module name SwiftPM gives a target (its name with non-identifier characters as `_`).
    static func moduleName(of target: String) -> String {
        String(target.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    private static func json(_ arguments: [String]) async throws -> Data {
        let result = try await Subprocess.run(arguments)
        guard result.succeeded else { throw SubprocessError(arguments: arguments, result: result) }
        // SwiftPM may print notes before the JSON.
        let output = result.output
        let start = output.firstIndex { $0 == "{" || $0 == "[" } ?? output.startIndex
        return Data(output[start...].utf8)
    }
}
