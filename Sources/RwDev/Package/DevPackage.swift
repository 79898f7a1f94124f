package import Foundation
import RwSubprocess

/// The app package `rw dev` serves: its app target, the local library targets below it, and the
/// packages it depends on by path.
package struct DevPackage: Sendable {
    /// The package's absolute directory.
    package let directory: URL
    /// The library target holding the app (it exposes `public let app`).
    package let appTarget: String
    /// The app target and every local library target it depends on, directly or through others,
    /// lowest first: each target comes after the targets it depends on.
    package let targets: [LocalTarget]
    /// The folders of the packages the app package depends on by path (`.package(path:)`).
    package let pathDependencies: [URL]
    /// The package's declared dependencies (locations and version requirements) and the products
    /// its local targets use, in a canonical text: equal texts mean the deps image is built from
    /// the same packages, whatever else Package.swift changed.
    package let dependencySignature: String

    /// Reads the package at `path`. The app target is `target` when given, otherwise the library
    /// target that depends on RwSDK (directly or through a local target) and that no other
    /// library target depends on.
    package init(path: String, target: String? = nil) throws {
        self = try Self.described(path: path, target: target).package
    }

    /// Reads the package at `path` as ``init(path:target:)`` does, and returns SwiftPM's
    /// description too (`swift package describe --type json`), which
    /// ``init(directory:description:target:)`` reads back without SwiftPM.
    static func described(path: String, target: String? = nil) throws -> (package: DevPackage, description: String) {
        let directory = try Self.locate(path)
        let json = try Subprocess.capture(["swift", "package", "--package-path", directory.path, "describe", "--type", "json"])
        return (try DevPackage(directory: directory, description: json, target: target), json)
    }

    /// The package at `directory` from `description`, SwiftPM's description of it (`swift package
    /// describe --type json`, possibly led by warnings), with app target `target` (chosen as
    /// ``init(path:target:)`` says when `nil`).
    init(directory: URL, description json: String, target: String?) throws {
        // `describe` may print warnings before the JSON.
        let start = json.firstIndex(of: "{") ?? json.startIndex
        let data = Data(json[start...].utf8)
        let description = try JSONDecoder().decode(PackageDescription.self, from: data)
        let declared = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["dependencies"] ?? []
        let signature = (try? JSONSerialization.data(withJSONObject: declared, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
        try self.init(directory: directory, description: description, target: target, declaredDependencies: signature ?? json)
    }

    /// Chooses the app target of `description` (the package at `directory`, whose declared
    /// dependencies `declaredDependencies` gives in a canonical text).
    init(directory: URL, description: PackageDescription, target: String?, declaredDependencies: String = "") throws {
        let libraries = description.targets.filter { $0.type == "library" && $0.module_type == "SwiftTarget" }
        let byName = Dictionary(libraries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func closure(_ name: String) -> [PackageDescription.Target] {
            var order: [PackageDescription.Target] = []
            var seen = Set<String>()
            func visit(_ name: String) {
                guard let target = byName[name], seen.insert(name).inserted else { return }
                for dependency in target.target_dependencies ?? [] { visit(dependency) }
                order.append(target)
            }
            visit(name)
            return order
        }
        let chosen: PackageDescription.Target
        if let target {
            guard let match = byName[target] else {
                throw RwError("the package has no Swift library target \"\(target)\" (it has: \(libraries.map(\.name).joined(separator: ", ")))")
            }
            chosen = match
        } else {
            let usesRwSDK = libraries.filter { library in
                closure(library.name).contains { $0.product_dependencies?.contains("RwSDK") == true }
            }
            let dependedOn = Set(libraries.flatMap { $0.target_dependencies ?? [] })
            let apps = usesRwSDK.filter { !dependedOn.contains($0.name) }
            guard apps.count == 1 else {
                throw RwError(
                    apps.isEmpty
                        ? "no library target of the package depends on RwSDK; the app must live in one (see playground/hello-world)"
                        : "several library targets depend on RwSDK and none of them depends on the others "
                            + "(\(apps.map(\.name).joined(separator: ", "))); choose the app's with --target")
            }
            chosen = apps[0]
        }
        self.directory = directory
        self.appTarget = chosen.name
        self.targets = closure(chosen.name).map { target in
            LocalTarget(
                name: target.name, moduleName: target.c99name ?? DependencyMap.moduleName(of: target.name),
                sourceDirectory: directory.appendingPathComponent(target.path).standardizedFileURL,
                targetDependencies: (target.target_dependencies ?? []).filter { byName[$0] != nil },
                productDependencies: target.product_dependencies ?? [])
        }
        self.pathDependencies = (description.dependencies ?? []).compactMap { dependency in
            guard dependency.type == "fileSystem", let path = dependency.path else { return nil }
            return URL(fileURLWithPath: path).standardizedFileURL
        }
        let products = Set(targets.flatMap(\.productDependencies)).sorted()
        self.dependencySignature = declaredDependencies + "\nproducts: " + products.joined(separator: ", ")
    }

    /// The app target.
    package var app: LocalTarget { targets.last! }

    /// The folders whose Swift sources `rw dev` watches: every local target's, and the `Sources`
    /// folder of each package the app depends on by path (an edit there re-optimizes).
    package var watchedFolders: [URL] {
        targets.map(\.sourceDirectory)
            + pathDependencies.map { $0.appendingPathComponent("Sources") }.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The manifests `rw dev` watches: the package's and those of its path dependencies.
    package var watchedManifests: [URL] {
        ([directory] + pathDependencies).map { $0.appendingPathComponent("Package.swift") }
    }

    /// The products of other packages that the local targets depend on.
    package var productDependencies: [String] {
        var seen = Set<String>()
        return targets.flatMap(\.productDependencies).filter { seen.insert($0).inserted }
    }

    /// The Swift sources of every local target, sorted.
    package func sources() throws -> [URL] {
        try targets.flatMap { try $0.sources() }.sorted { $0.path < $1.path }
    }

    /// The local target whose folder holds `file` (an absolute path), if any.
    package func target(containing file: String) -> LocalTarget? {
        targets.first { $0.contains(file) }
    }

    /// The absolute directory of the package at `path` (relative to the current directory);
    /// fails with a one-line message when there is no such folder or it holds no Package.swift.
    package static func locate(_ path: String) throws -> URL {
        let directory = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RwError("no folder at \(directory.path); pass the app package's folder with --package-path")
        }
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) else {
            throw RwError(
                "\(directory.path) is not a Swift package (no Package.swift); pass the app package's folder with --package-path, or create one with `rw new <name>`"
            )
        }
        return directory
    }

    /// The dev server's cache folder inside the package (`.rw/`).
    package var cacheDirectory: URL { directory.appendingPathComponent(".rw") }
}

/// The part of `swift package describe --type json` that rw dev reads.
struct PackageDescription: Decodable {
    struct Target: Decodable {
        // Named as in SwiftPM's JSON.
        let name: String
        let c99name: String?
        let type: String
        let module_type: String?
        let path: String
        let product_dependencies: [String]?
        let target_dependencies: [String]?
    }
    struct Dependency: Decodable {
        let type: String?
        let path: String?
    }
    let targets: [Target]
    let dependencies: [Dependency]?
}
