import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What `rw dev` prints: one line per event, colours only on a terminal, progress lines for
/// work that takes more than a second.
struct Terminal: Sendable {
    let isTTY: Bool
    let verbose: Bool

    init(verbose: Bool = false) {
        isTTY = isatty(STDOUT_FILENO) == 1
        self.verbose = verbose
    }

    /// A plain informational line.
    func info(_ text: String) { write("\(text)\n") }

    /// A highlighted line (reloads, the local URL).
    func success(_ text: String) { write(paint(text, "32") + "\n") }

    /// An error block.
    func error(_ text: String) { write(paint(text, "31") + "\n", to: FileHandle.standardError) }

    /// A warning line.
    func warning(_ text: String) { write(paint(text, "33") + "\n", to: FileHandle.standardError) }

    /// A line the app printed.
    func appOutput(_ line: String) { write("\(line)\n") }

    /// A line the app wrote to standard error.
    func appError(_ line: String) { write("\(line)\n", to: FileHandle.standardError) }

    /// Starts a progress line for `task`; on a terminal it shows the elapsed time each second.
    func progress(_ task: String) -> Progress {
        Progress(task: task, terminal: self)
    }

    func paint(_ text: String, _ code: String) -> String {
        isTTY ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func write(_ text: String, to handle: FileHandle = .standardOutput) {
        handle.write(Data(text.utf8))
    }

    /// A running task's progress line.
    final class Progress: Sendable {
        private let task: String
        private let terminal: Terminal
        private let started = Date()
        private let ticker: Mutex<Task<Void, Never>?> = Mutex(nil)

        init(task: String, terminal: Terminal) {
            self.task = task
            self.terminal = terminal
            if terminal.isTTY {
                terminal.write("… \(task)")
                let ticker = Task { [started] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        if Task.isCancelled { break }
                        terminal.write("\r\u{1B}[2K… \(task) · \(Int(Date().timeIntervalSince(started))) s")
                    }
                }
                self.ticker.withLock { $0 = ticker }
            } else {
                terminal.write("… \(task)\n")
            }
        }

        /// Ends the line with the total time.
        func finish(failed: Bool = false, detail: String? = nil) {
            ticker.withLock { $0?.cancel() }
            let seconds = String(format: "%.1f s", Date().timeIntervalSince(started))
            let line = "\(failed ? "✗" : "✓") \(detail ?? task) · \(seconds)"
            if terminal.isTTY { terminal.write("\r\u{1B}[2K") }
            terminal.write(terminal.paint(line, failed ? "31" : "32") + "\n")
        }
    }
}
