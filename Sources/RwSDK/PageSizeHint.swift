import Synchronization

/// The size of the page a route rendered last, so that the next rendering reserves about that
/// much at once: a small page then costs one small allocation (instead of a large one that
/// the allocator handles more slowly), and a large one is not copied while it grows.
final class PageSizeHint: Sendable {
    private let last = Atomic<Int>(0)

    /// The bytes to reserve for the next page: the last page's size with some room, 1 KiB before
    /// the first.
    var capacity: Int {
        let last = last.load(ordering: .relaxed)
        return last == 0 ? 1024 : last + last / 8
    }

    /// Remembers the size of a rendered page.
    func record(_ size: Int) {
        if last.load(ordering: .relaxed) != size { last.store(size, ordering: .relaxed) }
    }
}
