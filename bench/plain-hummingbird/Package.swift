// swift-tools-version: 6.1
import PackageDescription

// Baselines for benchmarks: plain Hummingbird handlers. PlainHummingbird returns fixed bytes;
// PlainHelloWorld does hello-world's work by hand (the page, the session cookie, the action);
// PlainGuestbook renders the guestbook's list page from the same queries with the same drivers;
// PlainMembers serves the members page (MemberData, shared with bench/members and
// bench/rendering) by hand and the JSON list with Hummingbird's own JSON response. PlainChannels
// is a hummingbird-websocket server doing bench/realtime's channel fan-out by hand; ChannelLoad
// is the WebSocket load client that measures both (fan-out delivery, messages/s, idle sockets,
// round trips).
let package = Package(
    name: "plain-hummingbird",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MemberData", targets: ["MemberData"]),
        .executable(name: "PlainHummingbird", targets: ["PlainHummingbird"]),
        .executable(name: "PlainHelloWorld", targets: ["PlainHelloWorld"]),
        .executable(name: "PlainGuestbook", targets: ["PlainGuestbook"]),
        .executable(name: "PlainMembers", targets: ["PlainMembers"]),
        .executable(name: "PlainChannels", targets: ["PlainChannels"]),
        .executable(name: "ChannelLoad", targets: ["ChannelLoad"]),
    ],
    dependencies: [
        // Built with the same (no) traits as RwSDK's, so both compile Hummingbird alike in a
        // shared scratch folder.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The versions RwSDK accepts, so both resolve the same one in the shared scratch folder
        // (bench/run builds them one after the other there; two versions would rebuild each time).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "PlainHummingbird",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(name: "PlainHTML"),
        .target(name: "MemberData"),
        .executableTarget(
            name: "PlainMembers",
            dependencies: [
                "MemberData",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "PlainHelloWorld",
            dependencies: [
                "PlainHTML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "PlainGuestbook",
            dependencies: [
                "PlainHTML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "PlainChannels",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "ChannelLoad",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
    ]
)
