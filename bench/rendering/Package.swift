// swift-tools-version: 6.0
import PackageDescription

// The rendering benchmark, without HTTP: one 500-row table page (escaped user text and
// attributes) rendered by RwSDK's HTML builder, by swift-mustache, by Plot and by hand into a
// byte buffer. A package of its own, so RwSDK itself never depends on the template engines;
// `bench/run` builds and runs it only in a full run.
let package = Package(
    name: "rendering",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "RwSDK", path: "../.."),
        // The members and the page by hand (MemberData) and RwSDK's page (Members), shared with
        // the HTTP benchmarks.
        .package(name: "plain-hummingbird", path: "../plain-hummingbird"),
        .package(name: "members", path: "../members"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Plot", exact: "0.14.0"),
    ],
    targets: [
        .executableTarget(
            name: "RenderingBench",
            dependencies: [
                .product(name: "RwSDK", package: "RwSDK"),
                .product(name: "MemberData", package: "plain-hummingbird"),
                .product(name: "Members", package: "members"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Plot", package: "Plot"),
            ]
        )
    ]
)
