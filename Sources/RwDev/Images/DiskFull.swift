import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells a build step that failed because the file system it writes to is full (ENOSPC) from one
/// that failed for any other reason, and says so in one line instead of the tools' output.
///
/// A full disk shows differently in each step: Foundation's writes throw ENOSPC; the compiler
/// prints "No space left on device"; `lld` writes its output through a memory map and dies of
/// SIGBUS when the file system cannot back it, printing only a crash report. So a failed step is
/// put down to a full disk when its error is ENOSPC, its output says so, or the folder it wrote
/// into has less room left than the step needed.
struct DiskFull: Sendable, Equatable {
    /// The folder a build step could not write to.
    let folder: URL
    /// The room the step needs there, at least.
    let bytesNeeded: Int64

    /// The one line shown in the terminal and the overlay.
    var message: String {
        "no space left on device: rw dev could not write to \(folder.path). Free some space "
            + "(nothing half-written was kept); rw dev builds again once there is room"
    }

    /// Whether `folder` has the room the step needs now.
    var hasRoom: Bool { !Self.hasLessRoom(than: bytesNeeded, in: folder) }

    /// Returns once `folder` has the room the step needs (checked every `interval`), or `false`
    /// when the task is cancelled or `limit` passes first.
    func waitForRoom(every interval: Duration = .seconds(1), for limit: Duration = .seconds(3600)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if hasRoom { return true }
            do { try await Task.sleep(for: interval) } catch { return false }
        }
        return false
    }

    /// Whether `error` is ENOSPC: a POSIX error, or Foundation's out-of-space write error.
    static func isOutOfSpace(_ error: any Error) -> Bool {
        if let posix = error as? POSIXError { return posix.code == .ENOSPC }
        let error = error as NSError
        if error.domain == NSCocoaErrorDomain && error.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
        if error.domain == NSPOSIXErrorDomain && error.code == Int(ENOSPC) { return true }
        return (error.userInfo[NSUnderlyingErrorKey] as? any Error).map(isOutOfSpace) ?? false
    }

    /// Whether a tool's output reports ENOSPC (its `strerror` text).
    static func reportsOutOfSpace(_ output: String) -> Bool {
        output.contains(String(cString: strerror(ENOSPC)))
    }

    /// Whether the file system holding `folder` has fewer than `bytes` available to this
    /// process's user (`statvfs`); `false` when that cannot be read.
    static func hasLessRoom(than bytes: Int64, in folder: URL) -> Bool {
        var stats = statvfs()
        guard statvfs(folder.path, &stats) == 0 else { return false }
        let (room, overflow) = UInt64(stats.f_bavail).multipliedReportingOverflow(by: UInt64(stats.f_frsize))
        return !overflow && room < UInt64(max(bytes, 0))
    }

    /// The room a link of `objects` needs at least: their total size (the image holds their code
    /// and data), plus 1 MiB of slack.
    static func roomNeeded(toLink objects: [String]) -> Int64 {
        objects.reduce(Int64(1 << 20)) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    /// Removes the compiler's temporary outputs (`*.tmp`, which swiftc leaves behind when it
    /// cannot finish writing an object) in `folder` and the folders directly inside it.
    static func removeTemporaryFiles(under folder: URL) {
        let manager = FileManager.default
        let folders = [folder] + ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).map(folder.appendingPathComponent)
        for folder in folders {
            for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".tmp") {
                try? manager.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }

    /// Removes what a failed write of `output` may have left: the file itself and the linker's
    /// temporary files next to it (`<name>.tmp…`), so no half-written image is ever loaded.
    static func removeLeftovers(of output: URL) {
        let folder = output.deletingLastPathComponent()
        try? FileManager.default.removeItem(at: output)
        let prefix = output.lastPathComponent + ".tmp"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
