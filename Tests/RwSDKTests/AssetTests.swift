import Foundation
import Testing

@testable import RwSDK

@Suite(.timeLimit(.minutes(5))) struct AssetTests {
    @Test func fingerprintsFollowTheContent() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-assets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("client"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("client/a.js")
        try Data("one".utf8).write(to: file)
        let first = try #require(AssetFingerprints.fingerprint(of: "/client/a.js", in: directory.path))
        // SHA-256("one"), first 8 bytes.
        #expect(first == "7692c3ad3540bb80")
        #expect(AssetFingerprints.fingerprint(of: "/client/a.js", in: directory.path) == first)
        try Data("two!".utf8).write(to: file)
        // Within the recheck interval the remembered fingerprint is used; after it, the new one.
        var second = first
        let deadline = ContinuousClock.now + AssetFingerprints.recheckInterval * 5
        while second == first, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            second = try #require(AssetFingerprints.fingerprint(of: "/client/a.js", in: directory.path))
        }
        #expect(second == "a97b629a5b1da759", "a changed file gets a new fingerprint")
        #expect(AssetFingerprints.fingerprint(of: "/client/missing.js", in: directory.path) == nil)
        #expect(AssetFingerprints.fingerprint(of: "/client", in: directory.path) == nil, "folders have none")
        #expect(AssetFingerprints.fingerprint(of: "/../\(directory.lastPathComponent)/client/a.js", in: directory.path) == nil)
    }

    /// Under `rw dev` (a development request switches it on for the process) a page rendered
    /// right after a save of a public file names the file's new URL.
    @Test func underDevelopmentAChangedFileHasItsNewURLAtOnce() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-assets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("client"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("client/b.js")
        try Data("one".utf8).write(to: file)
        _ = await defineApp { get("/") { RwResponse(text: "ok") } }.handle(RwRequest(method: .get, target: "/"), environment: .development)
        #expect(AssetFingerprints.fingerprint(of: "/client/b.js", in: directory.path) == "7692c3ad3540bb80")
        try Data("two!".utf8).write(to: file)
        #expect(AssetFingerprints.fingerprint(of: "/client/b.js", in: directory.path) == "a97b629a5b1da759", "no second of the old URL")
    }

    @Test func aMissingFileKeepsItsPlainURL() {
        #expect(asset("/no/such/file.js") == "/no/such/file.js")
    }
}
