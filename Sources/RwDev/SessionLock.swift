import Foundation

/// One `rw dev` per package folder: an exclusive lock (`flock`) on `.rw/dev.lock`, held until the
/// process ends, with the holder's pid written in the file. Two sessions on one folder would
/// build into the same `.rw/` and `.build/` and load each other's half-written images.
final class SessionLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Takes the lock of the package in `packageDirectory`, or throws an ``RwError`` naming the
    /// pid of the `rw dev` that holds it. Nothing in the folder is changed when it is held, and
    /// nothing is written (`nil`) where there is no Package.swift: reading the package says why.
    static func acquire(packageDirectory: URL) throws -> SessionLock? {
        guard FileManager.default.fileExists(atPath: packageDirectory.appendingPathComponent("Package.swift").path) else { return nil }
        let folder = packageDirectory.appendingPathComponent(".rw")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("dev.lock").path
        // Close-on-exec: the runner and SwiftPM must not inherit the lock and outlive the front
        // with it.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RwError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.pid(in: descriptor)
            close(descriptor)
            throw RwError(
                "another rw dev\(holder.map { " (pid \($0))" } ?? "") is already serving \(packageDirectory.path); stop it first")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, text, text.count, 0)
        return SessionLock(descriptor: descriptor)
    }

    /// The pid written in the lock file, if it holds one.
    private static func pid(in descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
