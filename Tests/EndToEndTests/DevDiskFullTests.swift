import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `rw dev` when the disk fills up: a small tmpfs mounted over the folder the app images are
/// linked into (`.rw/gen`), then over the folder the app's objects are compiled into, each
/// filled to the last byte before a save. Part of the serialized DevServerTests suite, since it
/// edits the one fixture copy.
extension DevServerTests {
    @Test(.enabled(if: TmpfsMount.permitted, "mounting a tmpfs needs root (CAP_SYS_ADMIN), which this machine does not give"))
    func aFullDiskGivesOneClearLineKeepsServingAndRecoversOnceSpaceIsFreed() async throws {
        try DevFixture.reset()
        let images = DevFixture.directory.appendingPathComponent(".rw/gen")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let disk = try TmpfsMount(at: images, size: "4m")
        defer { disk.unmount() }
        let dev = try await DevServerProcess.start()
        try await dev.waitFor("/") { $0 == "marker=v0" }
        let events = try EventStreamReader(port: dev.port)
        #expect(await events.waitFor("event: hello") != nil)

        // The disk fills up; then a save.
        let filler = images.appendingPathComponent("filler")
        try TmpfsMount.fill(filler)
        let from = dev.child.lineCount
        try DevFixture.setMarker("disk-full")
        let stream = await events.waitFor("event: error")
        let error = stream?.components(separatedBy: "event: error").last ?? ""
        #expect(error.contains("no space left on device"), "the overlay names the full disk: \(error)")
        let line = await dev.child.waitForLine(containing: "no space left on device", from: from, timeout: 120)
        #expect(line?.contains(images.path) == true, "the terminal line names the folder: \(line ?? "none")")
        let printed = dev.child.linesSoFar.dropFirst(from)
        let noise = printed.filter { $0.contains("Stack dump") || $0.contains("ld.lld") || $0.contains("Bus error") }
        #expect(noise.isEmpty, "one clear line, not the linker's crash report: \(noise.prefix(3))")
        let served = try await dev.http.send("GET", "/")
        #expect(served.status == 200 && served.text == "marker=v0", "the last good generation keeps serving")
        let left = try FileManager.default.contentsOfDirectory(atPath: images.path).filter { $0 != "filler" }.sorted()
        #expect(left == ["libDevApp-1.so"], "no half-written image is kept: \(left)")
        let history = try #require(try await dev.state()["generations"] as? [[String: Any]])
        #expect(history.last?["outcome"] as? String == "buildFailed")

        // Space freed: rw dev notices by itself (no save) and serves the edit it could not build.
        try FileManager.default.removeItem(at: filler)
        #expect(await events.waitFor("event: update") != nil, "an update once the space was freed, with no save")
        try await dev.waitFor("/", attempts: 2400) { $0 == "marker=disk-full" }

        // The disk fills up where the compiler writes the app's objects: the same line, naming
        // that folder, and no temporary object left behind.
        let objects = DevFixture.directory.appendingPathComponent(".rw/targets/DevApp/objects")
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("rw-objects-\(getpid())")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.copyItem(at: objects, to: staging)
        defer { try? FileManager.default.removeItem(at: staging) }
        let objectsDisk = try TmpfsMount(at: objects, size: "4m")
        defer { objectsDisk.unmount() }
        for name in try FileManager.default.contentsOfDirectory(atPath: staging.path) {
            try FileManager.default.copyItem(at: staging.appendingPathComponent(name), to: objects.appendingPathComponent(name))
        }
        let objectsFiller = objects.appendingPathComponent("filler")
        try TmpfsMount.fill(objectsFiller)
        let fromCompile = dev.child.lineCount
        try DevFixture.setMarker("objects-full")
        let second = (await events.waitFor("event: error", occurrences: 2))?.components(separatedBy: "event: error").last ?? ""
        #expect(second.contains("no space left on device"), "the overlay names the full disk: \(second)")
        let compileLine = await dev.child.waitForLine(containing: "no space left on device", from: fromCompile, timeout: 120)
        #expect(compileLine?.contains(objects.path) == true, "the terminal line names the objects' folder: \(compileLine ?? "none")")
        let compileNoise = dev.child.linesSoFar.dropFirst(fromCompile).filter { $0.contains("error closing") || $0.contains("<unknown>") }
        #expect(compileNoise.isEmpty, "one clear line, not the compiler's errors: \(compileNoise.prefix(3))")
        #expect(try await dev.http.send("GET", "/").text == "marker=disk-full", "the last good generation keeps serving")
        let temporary = try FileManager.default.contentsOfDirectory(atPath: objects.path).filter { $0.hasSuffix(".tmp") }
        #expect(temporary.isEmpty, "no half-written object is kept: \(temporary)")
        try FileManager.default.removeItem(at: objectsFiller)
        #expect(await events.waitFor("event: update", occurrences: 2) != nil, "an update once the space was freed, with no save")
        try await dev.waitFor("/", attempts: 2400) { $0 == "marker=objects-full" }
        await dev.stop()
    }
}

/// A tmpfs of a given size mounted over a folder, for filling a disk in a test; needs root.
struct TmpfsMount {
    let folder: URL

    /// Whether this process may mount a tmpfs (tried on a scratch folder, then unmounted).
    static let permitted: Bool = {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rw-tmpfs-probe-\(getpid())")
        guard (try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard mount("tmpfs", scratch.path, "tmpfs", 0, "size=64k") == 0 else { return false }
        _ = umount2(scratch.path, Int32(MNT_DETACH))
        return true
    }()

    /// Mounts a tmpfs of `size` (such as "4m") over `folder`, hiding what it held until unmounted.
    init(at folder: URL, size: String) throws {
        guard mount("tmpfs", folder.path, "tmpfs", 0, "size=\(size)") == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM)
        }
        self.folder = folder
    }

    /// Unmounts it; when a process still holds a file in it, detaches it (`umount -l`): it goes
    /// once the last user closes it, and the folder shows its own contents at once.
    func unmount() {
        if umount2(folder.path, 0) != 0 { _ = umount2(folder.path, Int32(MNT_DETACH)) }
    }

    /// Writes zeros to `file` until the file system has no space left (ENOSPC), at most 1 GiB.
    static func fill(_ file: URL) throws {
        let fd = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 64 * 1024)
        for _ in 0..<(1 << 14) {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == ENOSPC { return }
            if written < 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            if written == 0 { return }
        }
        Issue.record("\(file.path) took 1 GiB without filling its file system")
    }
}
