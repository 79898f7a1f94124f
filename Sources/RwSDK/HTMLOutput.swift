#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rendered markup as UTF-8 bytes: what a page is rendered into before it becomes a response
/// body, without intermediate strings.
///
/// Content that must be awaited (``Await``) is not rendered into the output: it is recorded at
/// its place in ``bytes``, and a page that has such content is streamed (see ``streamed()``).
///
/// An output is a value: a copy is independent of the original. The bytes live in an allocation
/// of its own that appends write into directly (a page makes hundreds of small appends), copied
/// only when a copy of the output is appended to. Where they are and how many there are is kept
/// in the output itself, so an append reads no object's properties: in the unoptimized builds
/// `rw dev` loads, each such read retained and released the object.
public struct HTMLOutput: @unchecked Sendable {
    /// The allocation holding the bytes; shared by copies of an output until one of them appends
    /// (the only writes), so a shared allocation is never written.
    private var storage: Storage
    /// `storage`'s bytes.
    private var base: UnsafeMutablePointer<UInt8>
    /// How many bytes `storage` has room for.
    private var capacity: Int
    /// The number of bytes of markup so far.
    public private(set) var count = 0

    /// Content still to be awaited, each with the offset in `bytes` where it goes, in order.
    private(set) var deferred: [(offset: Int, content: @Sendable () async throws -> any HTML)] = []

    /// An empty output with room for `capacity` bytes.
    public init(capacity: Int = 1024) {
        let capacity = Swift.max(capacity, 16)
        storage = Storage(capacity: capacity)
        base = storage.base
        self.capacity = capacity
    }

    /// The markup so far, without the content still to be awaited.
    public var bytes: [UInt8] { copy(0..<count) }

    /// Appends `markup` verbatim. Use only for trusted content.
    public mutating func append(markup: String) {
        if let done: Void = markup.utf8.withContiguousStorageIfAvailable({ append(bytes: $0) }) { return done }
        var markup = markup
        markup.withUTF8 { append(bytes: $0) }
    }

    /// Appends `text` with `&`, `<` and `>` escaped.
    public mutating func append(text: String) {
        appendEscaped(text, quotes: false)
    }

    /// Appends `value` with `&`, `<`, `>`, `"` and `'` escaped, safe inside a quoted attribute.
    public mutating func append(attributeValue value: String) {
        appendEscaped(value, quotes: true)
    }

    /// Records content to be awaited at the current end of the markup: a streamed page sends
    /// the markup before it, then awaits `content` and renders its result in its place.
    public mutating func append(awaiting content: @escaping @Sendable () async throws -> any HTML) {
        deferred.append((count, content))
    }

    /// Whether some content is still to be awaited.
    public var hasDeferredContent: Bool { !deferred.isEmpty }

    /// The markup up to the first content to be awaited, and the rest as a stream: pieces of
    /// markup in order, each awaited content rendered (and streamed in turn) in its place. The
    /// stream is `nil` when nothing is to be awaited.
    public func streamed() -> (first: [UInt8], rest: RwBodyStream?) {
        guard let first = deferred.first else { return (bytes, nil) }
        let output = self
        let rest = RwBodyStream {
            // Step 2k of an output is its markup from content k-1 to content k, step 2k+1 awaits
            // content k; the innermost content being streamed is on top of the stack. The first
            // markup of the page (step 0) is `first`.
            var stack: [(output: HTMLOutput, step: Int)] = [(output, 1)]
            return {
                while let (output, step) = stack.popLast() {
                    let count = output.deferred.count
                    guard step <= 2 * count else { continue }
                    stack.append((output, step + 1))
                    let index = step / 2
                    if step % 2 == 1 {
                        var inner = HTMLOutput(capacity: 1024)
                        try await output.deferred[index].content().render(into: &inner)
                        stack.append((inner, 0))
                    } else {
                        let start = index == 0 ? 0 : output.deferred[index - 1].offset
                        let end = index < count ? output.deferred[index].offset : output.count
                        if end > start { return output.copy(start..<end) }
                    }
                }
                return nil
            }
        }
        return (copy(0..<first.offset), rest)
    }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        append(bytes: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        reserve(1)[0] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(bytes source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        reserve(source.count).initialize(from: base, count: source.count)
        count += source.count
    }

    /// Where the next `needed` bytes go: an allocation of this output's own with room for them.
    @inline(__always)
    private mutating func reserve(_ needed: Int) -> UnsafeMutablePointer<UInt8> {
        if _slowPath(capacity - count < needed || !isKnownUniquelyReferenced(&storage)) {
            // Doubling, so that appending stays linear.
            let grown = Storage(capacity: Swift.max(count + needed, 2 * capacity))
            grown.base.initialize(from: base, count: count)
            storage = grown
            base = grown.base
            capacity = grown.capacity
        }
        return base + count
    }

    /// The bytes in `range`, as an array.
    private func copy(_ range: Range<Int>) -> [UInt8] {
        Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    private mutating func appendEscaped(_ text: String, quotes: Bool) {
        let length = text.utf8.count
        guard length > 0 else { return }
        // Runs of bytes that need no entity are found by the C library's `strcspn` and appended
        // whole: one call per run instead of Swift steps per byte, which the unoptimized builds
        // `rw dev` loads run slowly. A NUL, where `strcspn` also stops, is copied as it is.
        text.withCString { string in
            string.withMemoryRebound(to: UInt8.self, capacity: length) { base in
                // The bytes to escape, as a C string (a static string's bytes end with a NUL).
                let set: StaticString = quotes ? "&<>\"'" : "&<>"
                let specials = UnsafeRawPointer(set.utf8Start).assumingMemoryBound(to: CChar.self)
                var start = 0
                while start < length {
                    let run = strcspn(string + start, specials)
                    if run > 0 { append(bytes: UnsafeBufferPointer(start: base + start, count: run)) }
                    start += run
                    guard start < length else { return }
                    switch base[start] {
                    case 0x26: append("&amp;")
                    case 0x3C: append("&lt;")
                    case 0x3E: append("&gt;")
                    case 0x22: append("&quot;")
                    case 0x27: append("&#39;")
                    default: append(byte: base[start])
                    }
                    start += 1
                }
            }
        }
    }

    /// The allocation of an output's bytes, freed with the last output using it.
    private final class Storage {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int

        init(capacity: Int) {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }

        deinit { base.deallocate() }
    }
}
