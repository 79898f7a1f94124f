import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Watches source folders with inotify and reports saved Swift files, and saved files of the
/// public folder, in debounced batches.
///
/// A burst of events (an editor's write + rename, several files saved at once) becomes one batch
/// once the folders have been quiet for ``quietPeriod``. Hidden files, editor backups (`~`) and,
/// outside the public folder, non-Swift files are ignored.
final class SourceWatcher: Sendable {
    /// How long the folders must be quiet before a batch is reported.
    static let quietPeriod: Int32 = 40  // milliseconds

    /// What is watched: folders by watch descriptor, and the files watched by name with their folders.
    private struct Watched {
        var directories: [Int32: String] = [:]
        var files: Set<String> = []
        var fileFolders: Set<String> = []
    }

    private let fd: Int32
    private let watched = Mutex(Watched())
    /// The public folder's path followed by `/`, when it is watched.
    private let publicPrefix: String?

    /// Starts watching `roots` and their subfolders for Swift sources, each of `files` (such as
    /// Package.swift) by name, and `publicFolder` (when it exists) and its subfolders for any file.
    init(roots: [URL], files: [URL] = [], publicFolder: URL? = nil) throws {
        fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw RwError("inotify_init1 failed: \(String(cString: strerror(errno)))") }
        var isDirectory: ObjCBool = false
        if let publicFolder, FileManager.default.fileExists(atPath: publicFolder.path, isDirectory: &isDirectory), isDirectory.boolValue {
            publicPrefix = publicFolder.path + "/"
            try addTree(publicFolder.path)
        } else {
            publicPrefix = nil
        }
        try watch(roots: roots, files: files)
    }

    /// Whether `path` (of a reported file) is in the public folder.
    func isPublic(_ path: String) -> Bool {
        publicPrefix.map { path.hasPrefix($0) } ?? false
    }

    /// Also watches those of `roots` (with their subfolders) and `files` not watched yet; what
    /// is watched already stays as it is.
    func watch(roots: [URL], files: [URL]) throws {
        let (folders, newFileFolders) = watched.withLock { watched -> (Set<String>, [String]) in
            let known = Set(watched.directories.values)
            watched.files.formUnion(files.map(\.path))
            let newFileFolders = Set(files.map { $0.deletingLastPathComponent().path }).subtracting(watched.fileFolders)
            watched.fileFolders.formUnion(newFileFolders)
            return (known, newFileFolders.sorted())
        }
        for root in roots where !folders.contains(root.path) { try addTree(root.path) }
        for folder in newFileFolders { try addFolder(folder) }
    }

    deinit { close(fd) }

    /// Batches of changed file paths, in the order they were first seen.
    func changes() -> AsyncStream<[String]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [String].self)
        Thread { self.readLoop(continuation) }.start()
        return stream
    }

    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE)

    private func addFolder(_ path: String) throws {
        let descriptor = inotify_add_watch(fd, path, Self.mask | UInt32(IN_ONLYDIR))
        guard descriptor >= 0 else { throw RwError("cannot watch \(path): \(String(cString: strerror(errno)))") }
        watched.withLock { $0.directories[descriptor] = path }
    }

    private func addTree(_ path: String) throws {
        try addFolder(path)
        let children = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for child in children where !child.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            let full = path + "/" + child
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
                try? addTree(full)
            }
        }
    }

    static func isSource(_ name: String) -> Bool {
        name.hasSuffix(".swift") && !name.hasPrefix(".") && !name.hasPrefix("#")
    }

    /// Whether `name`, in the public folder, is a file the app serves rather than an editor's.
    static func isPublicFile(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasPrefix("#") && !name.hasSuffix("~")
    }

    private func readLoop(_ continuation: AsyncStream<[String]>.Continuation) {
        var batch: [String] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, batch.isEmpty ? -1 : Self.quietPeriod)
            if ready < 0 {
                if errno == EINTR { continue }
                continuation.finish()
                return
            }
            if ready == 0 {
                continuation.yield(batch)
                batch = []
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var offset = 0
            while offset < count {
                let (descriptor, mask, name, length) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, String, Int) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = raw[nameStart..<(nameStart + Int(event.len))].prefix { $0 != 0 }
                    return (event.wd, event.mask, String(decoding: nameBytes, as: UTF8.self), MemoryLayout<inotify_event>.size + Int(event.len))
                }
                offset += length
                let (folder, isFileFolder, isWatchedFile) = watched.withLock { watched -> (String?, Bool, Bool) in
                    guard let folder = watched.directories[descriptor] else { return (nil, false, false) }
                    return (folder, watched.fileFolders.contains(folder), watched.files.contains(folder + "/" + name))
                }
                guard let directory = folder else { continue }
                let path = directory + "/" + name
                if isFileFolder {
                    // A folder watched for named files only (the package folder for Package.swift).
                    if isWatchedFile, mask & UInt32(IN_CREATE) == 0, !batch.contains(path) { batch.append(path) }
                    continue
                }
                if mask & UInt32(IN_ISDIR) != 0 {
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { try? addTree(path) }
                    continue
                }
                // A created file is reported once written (IN_CLOSE_WRITE); creation alone is not a save.
                if mask & UInt32(IN_CREATE) != 0 { continue }
                let wanted = isPublic(path) ? Self.isPublicFile(name) : Self.isSource(name)
                if wanted, !batch.contains(path) { batch.append(path) }
            }
        }
    }
}
