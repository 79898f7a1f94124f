import Synchronization

/// Named one-shot signals a test opens with a request, for pages that wait on something slow:
/// the slow part ends when the test says, not after a guessed delay.
enum Latches {
    private struct Latch {
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private static let latches = Mutex<[String: Latch]>([:])

    /// Returns once latch `name` is open.
    static func wait(_ name: String) async {
        await withCheckedContinuation { continuation in
            let isOpen = latches.withLock { latches in
                if latches[name, default: Latch()].isOpen { return true }
                latches[name, default: Latch()].waiting.append(continuation)
                return false
            }
            if isOpen { continuation.resume() }
        }
    }

    /// Opens latch `name`: every wait on it returns.
    static func open(_ name: String) {
        let waiting = latches.withLock { latches in
            latches[name, default: Latch()].isOpen = true
            defer { latches[name]?.waiting = [] }
            return latches[name]?.waiting ?? []
        }
        for continuation in waiting { continuation.resume() }
    }
}
