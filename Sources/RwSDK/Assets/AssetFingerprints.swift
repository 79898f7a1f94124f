import Crypto
import Foundation
import Synchronization

/// Content fingerprints of the files in the public folder, for URLs that can be cached forever.
///
/// A fingerprint is the first 16 hex digits of the file's SHA-256. Fingerprints are remembered per
/// file with its size and modification time, so a file is read again only after it changed, and
/// a file is looked at (`stat`) at most once a second: a page rendering many times a second does
/// not touch the disk each time, and an edited file has a new URL within a second.
package enum AssetFingerprints {
    /// The environment variable naming the public folder: the one `--public` is read from, which
    /// `serve` and `rw dev` also set to the folder they serve; `public` in the working directory
    /// without it.
    package static let directoryVariable = "RW_PUBLIC"

    /// The public folder `asset(_:)` reads. Looks up the one variable: `ProcessInfo`'s
    /// `environment` copies every variable into a dictionary, which was 28 % of the production
    /// server's CPU time on a page with a client component.
    static var directory: String {
        getenv(directoryVariable).map { String(cString: $0) } ?? "public"
    }

    private struct Entry {
        let size: Int
        let modified: Date
        let fingerprint: String
        /// When the file was last looked at.
        let checked: ContinuousClock.Instant
    }

    /// How long a looked-at file's fingerprint is used without looking again.
    static let recheckInterval = Duration.seconds(1)

    private static let cache = Mutex<[String: Entry]>([:])

    /// The fingerprint of the file at `path` (a URL path such as `/client/counter.js`) in
    /// `directory`, or `nil` when there is no such regular file (or `path` leaves the folder).
    package static func fingerprint(of path: String, in directory: String) -> String? {
        guard path.hasPrefix("/"), !path.contains(".."), !path.contains("\0") else { return nil }
        let file = directory + path
        let now = ContinuousClock.now
        if let entry = cache.withLock({ $0[file] }), now - entry.checked < recheckInterval {
            return entry.fingerprint
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.intValue,
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        if let entry = cache.withLock({ $0[file] }), entry.size == size, entry.modified == modified {
            cache.withLock { $0[file] = Entry(size: size, modified: modified, fingerprint: entry.fingerprint, checked: now) }
            return entry.fingerprint
        }
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let fingerprint = SHA256.hash(data: data).prefix(8).map { byte in
            String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
        }.joined()
        cache.withLock { $0[file] = Entry(size: size, modified: modified, fingerprint: fingerprint, checked: now) }
        return fingerprint
    }
}

/// The URL of the public file at `path` (such as `/client/counter.js`) with its content's
/// fingerprint (`/client/counter.js?v=3f2a…`): the servers answer such a URL, while it matches
/// the file, with `Cache-Control: public, max-age=31536000, immutable`, and a changed file gets a
/// new URL. `path` itself when the file does not exist. Client components load their modules
/// through it.
public func asset(_ path: String) -> String {
    guard let fingerprint = AssetFingerprints.fingerprint(of: path, in: AssetFingerprints.directory) else { return path }
    return path + "?v=" + fingerprint
}
