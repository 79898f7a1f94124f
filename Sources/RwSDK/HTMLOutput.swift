/// Rendered markup as UTF-8 bytes: what a page is rendered into before it becomes a response
/// body, without intermediate strings.
///
/// Content that must be awaited (``Await``) is not rendered into the output: it is recorded at
/// its place in ``bytes``, and a page that has such content is streamed (see ``streamed()``).
///
/// An output is a value: a copy is independent of the original. The bytes live in storage of
/// its own that appends write into directly (a page makes hundreds of small appends), copied
/// only when a copy of the output is appended to.
public struct HTMLOutput: Sendable {
    /// The bytes written so far; shared by copies of an output until one of them appends.
    private var storage: Storage

    /// Content still to be awaited, each with the offset in `bytes` where it goes, in order.
    private(set) var deferred: [(offset: Int, content: @Sendable () async throws -> any HTML)] = []

    /// An empty output with room for `capacity` bytes.
    public init(capacity: Int = 1024) {
        storage = Storage(capacity: Swift.max(capacity, 16))
    }

    /// The markup so far, without the content still to be awaited.
    public var bytes: [UInt8] { storage.copy(0..<storage.count) }

    /// The number of bytes of markup so far.
    public var count: Int { storage.count }

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
        deferred.append((storage.count, content))
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
                        if end > start { return output.storage.copy(start..<end) }
                    }
                }
                return nil
            }
        }
        return (storage.copy(0..<first.offset), rest)
    }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        append(bytes: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        reserve(1)[0] = byte
        storage.count += 1
    }

    @inline(__always)
    mutating func append(bytes source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        reserve(source.count).initialize(from: base, count: source.count)
        storage.count += source.count
    }

    /// Where the next `count` bytes go: storage of this output's own with room for them.
    @inline(__always)
    private mutating func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if _slowPath(!isKnownUniquelyReferenced(&storage) || storage.capacity - storage.count < count) {
            storage = storage.copy(minimumCapacity: storage.count + count)
        }
        return storage.base + storage.count
    }

    private mutating func appendEscaped(_ text: String, quotes: Bool) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ appendEscaped(utf8: $0, quotes: quotes) }) { return done }
        var text = text
        text.withUTF8 { appendEscaped(utf8: $0, quotes: quotes) }
    }

    private mutating func appendEscaped(utf8 source: UnsafeBufferPointer<UInt8>, quotes: Bool) {
        guard let base = source.baseAddress else { return }
        // Runs of bytes that need no entity are appended whole.
        var start = 0
        var index = 0
        while index < source.count {
            let entity: StaticString
            switch base[index] {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): if quotes { entity = "&quot;" } else { index += 1; continue }
            case UInt8(ascii: "'"): if quotes { entity = "&#39;" } else { index += 1; continue }
            default: index += 1; continue
            }
            if index > start { append(bytes: UnsafeBufferPointer(start: base + start, count: index - start)) }
            append(entity)
            index += 1
            start = index
        }
        if source.count > start { append(bytes: UnsafeBufferPointer(start: base + start, count: source.count - start)) }
    }

    /// The bytes of an output. Only an output holding the sole reference writes to it, so a
    /// storage shared between outputs (and tasks) is never written.
    private final class Storage: @unchecked Sendable {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        var count = 0

        init(capacity: Int) {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }

        deinit { base.deallocate() }

        /// A storage holding these bytes with room for at least `minimumCapacity`, growing by
        /// doubling so that appending stays linear.
        func copy(minimumCapacity: Int) -> Storage {
            let copy = Storage(capacity: Swift.max(minimumCapacity, 2 * capacity))
            copy.base.initialize(from: base, count: count)
            copy.count = count
            return copy
        }

        /// The bytes in `range`, as an array.
        func copy(_ range: Range<Int>) -> [UInt8] {
            Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
        }
    }
}
