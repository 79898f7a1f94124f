// swift-tools-version: 6.1
import PackageDescription

// Imports are internal unless a file says `public import`: a module's public interface names only
// the modules it means to expose.
let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("InternalImportsByDefault")]

let package = Package(
    name: "RwSDK",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RwState", targets: ["RwState"]),
        .library(name: "RwSDK", targets: ["RwSDK"]),
        .library(name: "RwServer", targets: ["RwServer"]),
        .library(name: "RwSDKTesting", targets: ["RwSDKTesting"]),
        .library(name: "RwData", targets: ["RwData"]),
        .executable(name: "rw", targets: ["rw"]),
    ],
    // RwData's PostgreSQL driver (postgres-nio, swift-nio-ssl and its copy of BoringSSL) is built
    // only with this trait, on by default: an app on SQLite alone depends on RwSDK with
    // `traits: []` and compiles none of it.
    traits: [
        .trait(name: "PostgreSQL", description: "RwData connects to PostgreSQL (DATABASE_URL=postgres://…)."),
        .default(enabledTraits: ["PostgreSQL"]),
    ],
    dependencies: [
        // No traits: RwServer uses neither swift-configuration (ConfigurationSupport) nor
        // Hummingbird's URL-encoded form coder (FullFoundation). With both on, SwiftPM 6.3 writes
        // their -D flags in a different order from one plan to the next, so every build that plans
        // anew (each `rw build`) compiled Hummingbird again half of the time.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // WebSocket upgrades of the production server (channels).
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // Signing of session cookies (HMAC-SHA256). Versions 3 and 4 both do, so an app may add
        // packages that need either (jwt-kit 5 needs 4).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // Documentation only: `swift package generate-documentation` (scripts/docs).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // RwData's drivers: SQLite (embedded) and PostgreSQL.
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // TLS settings of PostgreSQL connections (postgres-nio depends on it too).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.36.0"),
        // Tests only: property-based fuzzing of the router, the request conversion and body decoding.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The state module: depends on nothing but the Swift runtime, Synchronization and Foundation.
        .target(name: "RwState", swiftSettings: swiftSettings),
        // The browser scripts (the client runtime, rw dev's live updates, morph and overlay): real
        // `.js` files in Sources/RwBrowser/js, embedded into the binary at build time by C23
        // `#embed`, so that a static production executable and a dev deps image carry them.
        .target(name: "RwBrowser", exclude: ["js"]),
        // The framework: no NIO, no Hummingbird.
        .target(
            name: "RwSDK",
            dependencies: [
                "RwState", "RwBrowser",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // An in-process test client for apps: `try await app.test { client in … }`.
        .target(name: "RwSDKTesting", dependencies: ["RwSDK"], swiftSettings: swiftSettings),
        // Production serving on Hummingbird.
        .target(
            name: "RwServer",
            dependencies: [
                "RwSDK",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Child processes: start, collect output, wait for the exit with waitid; used by `rw`,
        // `rw dev` and the tests.
        .target(name: "RwSubprocess", swiftSettings: swiftSettings),
        // Frames between the dev server's front and runner processes.
        .target(name: "RwWire", dependencies: ["RwState"], swiftSettings: swiftSettings),
        // The data product: SQLite by default, PostgreSQL by DATABASE_URL (with the PostgreSQL
        // trait); kept out of RwSDK, which stays free of NIO.
        .target(
            name: "RwData",
            dependencies: [
                "RwSDK", "RwState",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The dev runner. `rw dev` compiles these sources together with RwWire's against the
        // shared libRwState.so; this target only keeps them building and tested.
        .executableTarget(name: "rw-runner", dependencies: ["RwState", "RwWire"], path: "Sources/RwRunner", swiftSettings: swiftSettings),
        // The dev server's front process: builders, gate, runner supervision, live reload.
        .target(
            name: "RwDev",
            dependencies: [
                "RwServer", "RwWire", "RwSubprocess", "RwBrowser",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rw",
            dependencies: [
                "RwDev", "RwSubprocess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "RwStateTests", dependencies: ["RwState", "RwSubprocess"]),
        .testTarget(
            name: "RwSDKTests",
            dependencies: ["RwSDK", "RwSDKTesting", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        // Throwaway PostgreSQL clusters for the database tests and the end-to-end tests. Tests only.
        .target(name: "PostgresTestSupport", path: "Tests/PostgresTestSupport"),
        // What the tests share: child processes with bounded waits. Tests only.
        .target(name: "RwTestSupport", dependencies: ["RwSubprocess"], path: "Tests/RwTestSupport"),
        .testTarget(name: "RwDataTests", dependencies: ["RwData", "RwSDKTesting", "PostgresTestSupport"]),
        .testTarget(name: "RwDevTests", dependencies: ["RwDev", "RwWire", "RwState", "RwSubprocess"]),
        // A tiny production server (`serve(app)`) that the fault-injection tests start as a child
        // process, so a crash or memory growth is observed from outside. Used only by tests.
        .executableTarget(name: "rw-fault-server", dependencies: ["RwServer"], path: "Tests/FaultServer"),
        // Fault injection against the production server over raw TCP, and fuzzing of the router
        // and the request conversion.
        .testTarget(
            name: "RwServerTests",
            dependencies: [
                "RwServer", "RwSDK", "rw-fault-server", "RwTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // Real processes and real HTTP: the deploy test and the dev server tests.
        .testTarget(
            name: "EndToEndTests", dependencies: ["rw", "RwWire", "RwSubprocess", "RwTestSupport", "PostgresTestSupport"], exclude: ["Fixtures"]),
    ]
)
