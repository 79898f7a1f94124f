// swift-tools-version: 6.0
import PackageDescription

// The requestInfo playground: a page built from `requestInfo` and the state behind it, plus three
// components committed commented out (see README.md). Each imports a module of a different
// package declared here, so uncommenting it makes `rw dev` re-optimize its deps image.
let package = Package(
    name: "requestInfo",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "RwSDK", path: "../.."),
        .package(url: "https://github.com/apple/swift-algorithms", from: "1.2.1"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "RequestInfoApp",
            dependencies: [
                .product(name: "RwSDK", package: "RwSDK"),
                .product(name: "Algorithms", package: "swift-algorithms"),
                .product(name: "ComplexModule", package: "swift-numerics"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "requestInfo",
            dependencies: [
                "RequestInfoApp",
                .product(name: "RwServer", package: "RwSDK"),
            ]
        ),
    ]
)
