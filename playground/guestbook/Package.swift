// swift-tools-version: 6.0
import PackageDescription

// The guestbook: an RwSDK app with a database (RwData). SQLite (db.sqlite in this folder) unless
// DATABASE_URL names a PostgreSQL server. `rw dev` loads the Guestbook library; `rw build`
// builds the guestbook executable.
let package = Package(
    name: "guestbook",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "RwSDK", path: "../.."),
    ],
    targets: [
        .target(
            name: "Guestbook",
            dependencies: [
                .product(name: "RwSDK", package: "RwSDK"),
                .product(name: "RwData", package: "RwSDK"),
            ]
        ),
        .executableTarget(
            name: "guestbook",
            dependencies: [
                "Guestbook",
                .product(name: "RwData", package: "RwSDK"),
                .product(name: "RwServer", package: "RwSDK"),
            ]
        ),
    ]
)
