// swift-tools-version: 6.0
import PackageDescription

// A benchmark app: one channel (`bench:*`, BenchChannel.swift) whose messages are broadcast to
// their topic, served by RwSDK (`rw build`, `rw preview`) next to PlainChannels
// (bench/plain-hummingbird) doing the same by hand on hummingbird-websocket. With DATABASE_URL on
// PostgreSQL, broadcasts reach the other instances (RwData's LISTEN/NOTIFY). bench/run copies
// BenchChannel.swift into its hello-world copy to measure the same channel under `rw dev`.
let package = Package(
    name: "realtime",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Realtime", targets: ["Realtime"]),
        .executable(name: "realtime", targets: ["realtime"]),
    ],
    dependencies: [
        .package(name: "RwSDK", path: "../.."),
    ],
    targets: [
        .target(
            name: "Realtime",
            dependencies: [
                .product(name: "RwSDK", package: "RwSDK"),
                .product(name: "RwData", package: "RwSDK"),
            ]
        ),
        .executableTarget(
            name: "realtime",
            dependencies: [
                "Realtime",
                .product(name: "RwData", package: "RwSDK"),
                .product(name: "RwServer", package: "RwSDK"),
            ]
        ),
    ]
)
