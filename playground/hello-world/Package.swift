// swift-tools-version: 6.0
import PackageDescription

// An RwSDK app: the app itself is a library target (HelloWorld); a small executable target
// (hello-world) serves it in production. `rw dev` loads the library; `rw build` builds the
// executable; `swift test` runs the app's tests in process.
let package = Package(
    name: "hello-world",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "RwSDK", path: "../.."),
    ],
    targets: [
        .target(
            name: "HelloWorld",
            dependencies: [.product(name: "RwSDK", package: "RwSDK")]
        ),
        .executableTarget(
            name: "hello-world",
            dependencies: [
                "HelloWorld",
                .product(name: "RwServer", package: "RwSDK"),
            ]
        ),
        .testTarget(
            name: "HelloWorldTests",
            dependencies: ["HelloWorld", .product(name: "RwSDKTesting", package: "RwSDK")]
        ),
    ]
)
