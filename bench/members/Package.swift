// swift-tools-version: 6.0
import PackageDescription

// A benchmark app: the 500-row members page and a JSON list of 50 records, served by RwSDK
// (`rw build`, `rw preview`) next to PlainMembers (bench/plain-hummingbird) doing the same by
// hand on Hummingbird. bench/rendering renders the same page without HTTP.
let package = Package(
    name: "members",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Members", targets: ["Members"]),
        .executable(name: "members", targets: ["members"]),
    ],
    dependencies: [
        .package(name: "RwSDK", path: "../.."),
        .package(name: "plain-hummingbird", path: "../plain-hummingbird"),
    ],
    targets: [
        .target(
            name: "Members",
            dependencies: [
                .product(name: "RwSDK", package: "RwSDK"),
                .product(name: "MemberData", package: "plain-hummingbird"),
            ]
        ),
        .executableTarget(
            name: "members",
            dependencies: [
                "Members",
                .product(name: "RwServer", package: "RwSDK"),
            ]
        ),
    ]
)
