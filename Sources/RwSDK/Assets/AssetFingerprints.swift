import Crypto
import Foundation
import Synchronization

/// Content fingerprints of the files in the public folder, for URLs that can be cached forever.
///
/// A fingerprint is the first 16 hex digits of the file's SHA-256. Fingerprints are remembered per
/// file with its size and modification time, so a file is read again only after it changed, and
/// a file is looked at (`stat`) at most once a second in production: a page rendering many times
/// a second does not touch the disk each time, and an edited file has a new URL within a second.
/// Under `rw dev`, it is looked at on every call (``lookEveryTime()``).
package enum AssetFingerprints {
    /// The environment variable naming the public folder: the one `--public` is read from, which
    /// `serve` and `rw dev` also set to the folder they serve; `public` in the working directory
    /// without it.
    package static let directoryVariable = directoryVariableName.description

    /// The variable's name as a C string literal: passing a `String` to `getenv` converts it on
    /// every call.
    private static let directoryVariableName: StaticString = "RW_PUBLIC"

    private static var directoryVariableCString: UnsafePointer<CChar> {
        UnsafeRawPointer(directoryVariableName.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    private struct Entry {
        /// The folder the file is in.
        let directory: String
        let size: Int
        let modified: Date
        let fingerprint: String
        /// The path with `?v=` and the fingerprint, as ``asset(_:)`` gives it out.
        let url: String
        /// When the file was last looked at.
        let checked: ContinuousClock.Instant
    }

    /// What the fingerprints know, behind one lock: a page's `asset(_:)` takes it once.
    private struct Cache {
        /// The variable's text (with its terminating NUL) and its value, as last read.
        var variable: (raw: [CChar], value: String)?
        /// The files looked at, by path: one folder per path (another folder's file of the same
        /// path replaces it).
        var entries: [String: Entry] = [:]

        /// The public folder `asset(_:)` reads, given the variable's current text (`getenv`: it
        /// looks up the one variable, where `ProcessInfo`'s `environment` copies every variable
        /// into a dictionary, which was 28 % of the production server's CPU time on a page with a
        /// client component). The value is kept while the text stays the same, so a page does
        /// not copy it on every call.
        mutating func directory(named raw: UnsafePointer<CChar>?) -> String {
            guard let raw else { return "public" }
            if let variable, variable.raw.withUnsafeBufferPointer({ strcmp($0.baseAddress!, raw) }) == 0 {
                return variable.value
            }
            let value = String(cString: raw)
            variable = (Array(UnsafeBufferPointer(start: raw, count: strlen(raw) + 1)), value)
            return value
        }

        /// The entry of `path` in `directory` when it was looked at less than
        /// ``recheckInterval`` before `now` (never under `rw dev`: see ``lookEveryTime()``).
        /// Only plain paths (``isPlainPath(_:)``) have entries.
        func fresh(_ path: String, in directory: String, at now: ContinuousClock.Instant) -> Entry? {
            guard let entry = entries[path], entry.directory == directory, now - entry.checked < recheckInterval,
                !looksEveryTime.load(ordering: .relaxed)
            else { return nil }
            return entry
        }
    }

    /// What `url(of:)` found under the lock: the URL, or the public folder to look at the file in.
    private enum Lookup {
        case known(url: String)
        case toLook(in: String)
    }

    /// How long a looked-at file's fingerprint is used without looking again.
    static let recheckInterval = Duration.seconds(1)

    private static let looksEveryTime = Atomic<Bool>(false)

    /// From now on, looks at a file (its size and modification time) on every call, as
    /// `rw dev` needs: the page rendered right after a save of a public file must name the file's
    /// new URL, or a client component hydrated by it would import the old module. (A file's
    /// content is still read only when those changed.)
    package static func lookEveryTime() {
        looksEveryTime.store(true, ordering: .relaxed)
    }

    private static let cache = Mutex(Cache())

    /// The fingerprint of the file at `path` (a URL path such as `/client/counter.js`) in
    /// `directory`, or `nil` when there is no such regular file (or `path` leaves the folder).
    package static func fingerprint(of path: String, in directory: String) -> String? {
        let now = ContinuousClock.now
        if let known = cache.withLock({ $0.fresh(path, in: directory, at: now)?.fingerprint }) { return known }
        return look(at: path, in: directory, now: now)?.fingerprint
    }

    /// The fingerprint of the file at `path` in `directory` as it is now, looked at whatever the
    /// remembered one says (for a file known to have just changed), or `nil` when there is no
    /// such regular file.
    package static func currentFingerprint(of path: String, in directory: String) -> String? {
        look(at: path, in: directory, now: .now)?.fingerprint
    }

    /// `path` followed by `?v=` and the fingerprint of its file in the public folder, or `nil`
    /// when there is no such regular file (or `path` leaves the folder).
    static func url(of path: String) -> String? {
        let now = ContinuousClock.now
        let variable = getenv(directoryVariableCString)
        let lookup: Lookup = cache.withLock { cache in
            let directory = cache.directory(named: variable)
            return cache.fresh(path, in: directory, at: now).map { .known(url: $0.url) } ?? .toLook(in: directory)
        }
        switch lookup {
        case .known(let url): return url
        case .toLook(let directory): return look(at: path, in: directory, now: now)?.url
        }
    }

    /// Whether `path` starts with `/` and holds neither `..` nor NUL (checked on its UTF-8
    /// bytes: Foundation's `contains` went through `NSString`).
    static func isPlainPath(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            guard bytes.first == UInt8(ascii: "/") else { return false }
            var previous: UInt8 = 0
            for byte in bytes {
                if byte == 0 || (byte == UInt8(ascii: ".") && previous == UInt8(ascii: ".")) { return false }
                previous = byte
            }
            return true
        }
    }

    /// Looks at the file of `path` in `directory` (its size and modification time, its content
    /// when they changed) and remembers it.
    private static func look(at path: String, in directory: String, now: ContinuousClock.Instant) -> Entry? {
        guard isPlainPath(path) else { return nil }
        let known = cache.withLock { $0.entries[path] }.flatMap { $0.directory == directory ? $0 : nil }
        let file = directory + path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.intValue,
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        if let known, known.size == size, known.modified == modified {
            let entry = Entry(
                directory: directory, size: size, modified: modified, fingerprint: known.fingerprint, url: known.url, checked: now)
            cache.withLock { $0.entries[path] = entry }
            return entry
        }
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let fingerprint = Hex.string(SHA256.hash(data: data).prefix(8))
        let entry = Entry(
            directory: directory, size: size, modified: modified, fingerprint: fingerprint, url: path + "?v=" + fingerprint, checked: now)
        cache.withLock { $0.entries[path] = entry }
        return entry
    }
}

/// The URL of the public file at `path` (such as `/client/counter.js`) with its content's
/// fingerprint (`/client/counter.js?v=3f2a…`): the servers answer such a URL, while it matches
/// the file, with `Cache-Control: public, max-age=31536000, immutable`, and a changed file gets a
/// new URL. `path` itself when the file does not exist. Client components load their modules
/// through it.
public func asset(_ path: String) -> String {
    AssetFingerprints.url(of: path) ?? path
}
