import Foundation
import RwDev
import RwSubprocess

/// An app package on disk and what SwiftPM reports about it.
struct AppPackage {
    /// The package's absolute directory.
    let directory: URL

    /// Finds the package at `path`; fails with a clear message when there is no Package.swift.
    init(path: String) throws {
        directory = try DevPackage.locate(path)
    }

    /// The executable product serving the app: `requested` if given and present, otherwise the
    /// package's only executable product (declared, or implied by an executable target).
    func executableProduct(_ requested: String?) throws -> String {
        let output = try Subprocess.capture(["swift", "package", "--package-path", directory.path, "dump-package"])
        struct Manifest: Decodable {
            struct Product: Decodable {
                let name: String
                let type: [String: AnyDecodable?]
            }
            struct Target: Decodable {
                let name: String
                let type: String
            }
            let products: [Product]
            let targets: [Target]
        }
        struct AnyDecodable: Decodable { init(from decoder: Decoder) throws {} }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(output.utf8))
        // Executable targets are products of a root package even when not declared as products.
        let declared = manifest.products.filter { $0.type.keys.contains("executable") }.map(\.name)
        let implicit = manifest.targets.filter { $0.type == "executable" }.map(\.name)
        let executables = declared + implicit.filter { !declared.contains($0) }
        if let requested {
            guard executables.contains(requested) else {
                throw RwError("the package has no executable product \"\(requested)\" (it has: \(executables.joined(separator: ", ")))")
            }
            return requested
        }
        switch executables.count {
        case 1: return executables[0]
        case 0: throw RwError("the package has no executable product to serve the app; add one (see playground/hello-world)")
        default: throw RwError("the package has several executable products (\(executables.joined(separator: ", "))); choose one with --product")
        }
    }

    /// The folder holding release build products, in the scratch folder `options` name (the
    /// package's .build by default).
    func releaseBinDirectory(_ options: ReleaseBuildOptions) throws -> URL {
        let path = try Subprocess.capture(
            ["swift", "build", "--package-path", directory.path, "-c", "release", "--show-bin-path"] + options.swiftBuildArguments)
        return URL(fileURLWithPath: path.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
