import Foundation

/// An app package of three library targets and 100 page files, written by the tests into
/// `.build/shop-fixture` (kept between runs for SwiftPM's and rw dev's caches; its sources are
/// written anew by ``reset()``):
///
/// - `Shelf` (depends on RwSDK): `shelfMarker()`, and `label(_:)` in Label.swift calling
///   `price(of:)` from Price.swift (the signature tests break that call);
/// - `Catalog` (depends on Shelf): `catalogMarker()`;
/// - `Shop` (depends on Catalog, Shelf and RwSDK): the app, with `/` showing every target's
///   marker and a visit count kept with `updateRwState`, and pages `/p/1` … `/p/96`;
/// - `shop`: the production executable (rw dev ignores it);
/// - `Vendor/stock-kit`: a package the app depends on by path (product `StockKit`, used by Shop):
///   `stockLevel()`, which ``setStock(marker:)`` rewrites (its modules live in the deps image).
enum ShopFixture {
    static let directory = Paths.root.appendingPathComponent(".build/shop-fixture")
    static let pages = 96

    static func file(_ target: String, _ name: String) -> URL {
        directory.appendingPathComponent("Sources/\(target)/\(name)")
    }

    /// Writes every file of the package as it starts, and removes any other source file.
    static func reset() throws {
        let sources = directory.appendingPathComponent("Sources")
        for target in ["Shelf", "Catalog", "Shop", "shop", "Badge"] {
            let folder = sources.appendingPathComponent(target)
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try write("Package.swift", manifest)
        try write("Vendor/stock-kit/Package.swift", stockManifest)
        try setStock(marker: "stock-v0")
        try write("Sources/shop/main.swift", "import RwServer\nimport Shop\n\ntry await serve(app)\n")
        try setShelf(marker: "shelf-v0")
        try write("Sources/Shelf/Price.swift", "func price(of title: String) -> Int { title.count }\n")
        try write(
            "Sources/Shelf/Label.swift",
            "public func label(_ title: String) -> String { \"\\(title):\\(price(of: title))\" }\n")
        try write("Sources/Shelf/Unused.swift", "func unusedHelper() -> Int { 7 }\n")
        // A global of the lowest target, kept when that target is rebuilt.
        try write(
            "Sources/Shelf/Calls.swift",
            """
            actor ShelfCalls {
                var n = 0
                func next() -> Int { n += 1; return n }
            }
            let shelfCalls = ShelfCalls()

            public func shelfCallCount() async -> String { "\\(await shelfCalls.next()) \\(ObjectIdentifier(shelfCalls))" }

            """)
        try setCatalog(marker: "catalog-v0")
        try setShop(marker: "shop-v0")
        for page in 1...pages {
            try write(
                "Sources/Shop/Pages/Page\(page).swift",
                """
                import RwSDK
                import Shelf

                func page\(page)() -> some HTML {
                    main {
                        h1 { "Page \(page)" }
                        ul { for item in 0..<\(page % 7 + 1) { li { label("item \\(item)") } } }
                    }
                }

                """)
        }
    }

    static func setStock(marker: String) throws {
        try write("Vendor/stock-kit/Sources/StockKit/Stock.swift", "public func stockLevel() -> String { \"\(marker)\" }\n")
    }

    static func setShelf(marker: String) throws {
        try write("Sources/Shelf/Shelf.swift", "public func shelfMarker() -> String { \"\(marker)\" }\n")
    }

    static func setCatalog(marker: String) throws {
        try write(
            "Sources/Catalog/Catalog.swift",
            "import Shelf\n\npublic func catalogMarker() -> String { \"\(marker) \" + label(\"book\") }\n")
    }

    static func setShop(marker: String) throws {
        let routes = (1...pages).map { "        route(\"/p/\($0)\") { page\($0)() }" }.joined(separator: "\n")
        try write(
            "Sources/Shop/App.swift",
            """
            import Catalog
            import RwSDK
            import Shelf
            import StockKit

            public let app = defineApp {
                route("/") {
                    let visits = updateRwState("visits", initializer: { 0 }) { value -> Int in
                        value += 1
                        return value
                    }
                    return RwResponse(text: "\(marker) \\(catalogMarker()) \\(shelfMarker()) \\(stockLevel()) visits=\\(visits)")
                }
                route("/shelf-calls") { RwResponse(text: await shelfCallCount()) }
            \(routes)
            }

            """)
    }

    /// Adds a fourth library target, `Badge`, showing `marker` on `/`: its source first, then the
    /// manifest that declares it (and makes Shop depend on it), then Shop's App.swift using it,
    /// in the order a developer would save them.
    static func addBadgeTarget(marker: String) throws {
        try setBadge(marker: marker)
        let badged =
            manifest
            .replacingOccurrences(of: #""Catalog", "Shelf", .product"#, with: #""Badge", "Catalog", "Shelf", .product"#)
            .replacingOccurrences(of: #".target(name: "Catalog","#, with: #".target(name: "Badge"), .target(name: "Catalog","#)
        precondition(badged.components(separatedBy: "Badge").count == 3, "the manifest's shape changed")
        try write("Package.swift", badged)
        let app = try String(contentsOf: file("Shop", "App.swift"), encoding: .utf8)
        try write(
            "Sources/Shop/App.swift",
            "import Badge\n" + app.replacingOccurrences(of: " visits=", with: " \\(badgeMarker()) visits="))
    }

    static func setBadge(marker: String) throws {
        try write("Sources/Badge/Badge.swift", "public func badgeMarker() -> String { \"\(marker)\" }\n")
    }

    /// Writes `text` to `path` (relative to the package) the way an editor saves a file.
    static func write(_ path: String, _ text: String) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if (try? String(contentsOf: url, encoding: .utf8)) != text {
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
    }

    static let manifest = """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "shop",
            platforms: [.macOS(.v15)],
            dependencies: [
                .package(name: "RwSDK", path: "\(Paths.root.path)"),
                .package(path: "Vendor/stock-kit"),
            ],
            targets: [
                .target(name: "Shelf", dependencies: [.product(name: "RwSDK", package: "RwSDK")]),
                .target(name: "Catalog", dependencies: ["Shelf"]),
                .target(
                    name: "Shop",
                    dependencies: [
                        "Catalog", "Shelf", .product(name: "RwSDK", package: "RwSDK"),
                        .product(name: "StockKit", package: "stock-kit"),
                    ]),
                .executableTarget(name: "shop", dependencies: ["Shop", .product(name: "RwServer", package: "RwSDK")]),
            ]
        )

        """

    static let stockManifest = """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "stock-kit",
            products: [.library(name: "StockKit", targets: ["StockKit"])],
            targets: [.target(name: "StockKit")]
        )

        """
}
