import Foundation

/// The app package `rw dev` serves: its app library target and where SwiftPM builds it.
public struct DevPackage: Sendable {
    /// The package's absolute directory.
    public let directory: URL
    /// The library target holding the app (it exposes `public let app`).
    public let appTarget: String
    /// The app target's source directory.
    public let sourceDirectory: URL
    /// The library products the app target depends on.
    public let productDependencies: [String]

    /// Reads the package at `path`. The app target is `target` when given, otherwise the only
    /// library target that depends on the RwSDK product.
    public init(path: String, target: String? = nil) throws {
        let directory = try Self.locate(path)
        let json = try Subprocess.capture(["swift", "package", "--package-path", directory.path, "describe", "--type", "json"])
        struct Description: Decodable {
            struct Target: Decodable {
                let name: String
                let type: String
                let path: String
                let product_dependencies: [String]?
            }
            let targets: [Target]
        }
        // `describe` may print warnings before the JSON.
        let start = json.firstIndex(of: "{") ?? json.startIndex
        let description = try JSONDecoder().decode(Description.self, from: Data(json[start...].utf8))
        let libraries = description.targets.filter { $0.type == "library" }
        let chosen: Description.Target
        if let target {
            guard let match = libraries.first(where: { $0.name == target }) else {
                throw RwError("the package has no library target \"\(target)\" (it has: \(libraries.map(\.name).joined(separator: ", ")))")
            }
            chosen = match
        } else {
            let apps = libraries.filter { $0.product_dependencies?.contains("RwSDK") == true }
            guard apps.count == 1 else {
                throw RwError(
                    apps.isEmpty
                        ? "no library target of the package depends on RwSDK; the app must live in one (see playground/hello-world)"
                        : "several library targets depend on RwSDK (\(apps.map(\.name).joined(separator: ", "))); choose one with --target")
            }
            chosen = apps[0]
        }
        self.directory = directory
        self.appTarget = chosen.name
        self.sourceDirectory = directory.appendingPathComponent(chosen.path)
        self.productDependencies = chosen.product_dependencies ?? []
    }

    /// The absolute directory of the package at `path` (relative to the current directory);
    /// fails with a one-line message when there is no such folder or it holds no Package.swift.
    public static func locate(_ path: String) throws -> URL {
        let directory = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RwError("no folder at \(directory.path); pass the app package's folder with --package-path")
        }
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) else {
            throw RwError("\(directory.path) is not a Swift package (no Package.swift); pass the app package's folder with --package-path, or create one with `rw new <name>`")
        }
        return directory
    }

    /// The app target's Swift sources, sorted.
    public func sources() throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: sourceDirectory, includingPropertiesForKeys: nil) else {
            throw RwError("cannot read \(sourceDirectory.path)")
        }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" && !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.path < $1.path }
    }

    /// The dev server's cache folder inside the package (`.rw/`).
    public var cacheDirectory: URL { directory.appendingPathComponent(".rw") }
}
