import RwDev

/// The names `rw new` derives from the name the user gives: the package and its directory, the
/// library target holding the app, and the executable target serving it in production.
struct AppName: Equatable {
    /// The name as given: the package, its directory and the executable target.
    let package: String
    /// The library target holding the app: the name in UpperCamelCase ("hello-world" →
    /// "HelloWorld"), with "App" appended when that differs from the package name only in case
    /// ("blog" → "BlogApp"), so the two source folders never collide on a case-insensitive disk.
    let library: String

    /// The executable target, named as the package.
    var executable: String { package }

    /// Names that would clash with a module or product of RwSDK's package graph (every target of
    /// RwSDK's package that is not a test), or that cannot be imported.
    static let reserved: Set<String> = [
        "rw", "rw-runner", "RwSDK", "RwState", "RwServer", "RwWire", "RwDev", "RwRunner", "RwData", "RwSDKTesting",
        "RwSubprocess", "RwBrowser", "PostgresTestSupport", "RwTestSupport", "rw-fault-server", "FaultServer",
        "Hummingbird", "Logging", "ArgumentParser", "Foundation", "Swift", "Self", "Any", "Type", "Protocol"
    ]

    /// Validates `name`; the error says what is wrong and what a valid name looks like.
    ///
    /// A valid name starts with an ASCII letter and consists of ASCII letters and digits in runs
    /// separated by single "-" or "_" (for example `my-app`, `blog`, `shop_2`), so it is a valid
    /// package name, directory name and target name, and its UpperCamelCase form is a valid module
    /// name.
    init(_ name: String) throws {
        if name.contains("/") {
            throw RwError("\"\(name)\" is a path, not a name; give the name alone and the parent folder with --path")
        }
        guard Self.isWellFormed(name) else {
            throw RwError(
                "\"\(name)\" is not a valid app name: use ASCII letters and digits, separated by single \"-\" or \"_\", starting with a letter (for example my-app)"
            )
        }
        let camel = name.split(whereSeparator: { $0 == "-" || $0 == "_" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
        let library = camel.lowercased() == name.lowercased() ? camel + "App" : camel
        for candidate in [name, library] where Self.reserved.contains(where: { $0.lowercased() == candidate.lowercased() }) {
            throw RwError("\"\(name)\" is not a valid app name: \(candidate) is already a module or product of RwSDK or Swift; choose another name")
        }
        self.package = name
        self.library = library
    }

    private static func isWellFormed(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter else { return false }
        var previousWasSeparator = false
        for scalar in name.unicodeScalars {
            if scalar == "-" || scalar == "_" {
                if previousWasSeparator { return false }
                previousWasSeparator = true
            } else if scalar.isASCIILetter || ("0"..."9").contains(scalar) {
                previousWasSeparator = false
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
