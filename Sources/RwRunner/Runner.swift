import Foundation
import RwState
import Synchronization

#if SWIFT_PACKAGE
    import RwWire
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Holds the generation currently serving and answers frames from the front process.
final class Runner: Sendable {
    private struct Current {
        var generation = 0
        var entry: ImageEntry?
    }

    private let current = Mutex(Current())

    /// Answers every frame on `connection` until the front closes it.
    func serve(_ connection: UnixSocket) {
        defer { connection.close() }
        while let frame = try? connection.receive() {
            let reply: Frame
            switch frame.kind {
            case .request: reply = handleRequest(frame)
            case .load: reply = load(frame)
            case .state: reply = (try? Frame(.stateList, json: StateRegistry.shared.entries())) ?? Frame(.stateList)
            default: return
            }
            guard (try? connection.send(reply)) != nil else { return }
        }
    }

    private func handleRequest(_ frame: Frame) -> Frame {
        let response: RwResponse
        if let request = try? WireCodec.decodeRequest(frame.payload) {
            // A request keeps the generation it started on, even if a newer one loads meanwhile.
            if let entry = current.withLock({ $0.entry }) {
                response = Self.wait { await entry.handle(request) }
            } else {
                response = RwResponse(status: 503, text: "No generation is loaded yet.\n")
            }
        } else {
            response = RwResponse(status: 400, text: "The runner received a malformed request frame.\n")
        }
        return Frame(.response, (try? WireCodec.encode(response)) ?? [])
    }

    private func load(_ frame: Frame) -> Frame {
        let started = DispatchTime.now()
        func result(_ error: String?) -> Frame {
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
            let outcome = LoadResult(ok: error == nil, error: error, loadMilliseconds: milliseconds)
            return (try? Frame(.loaded, json: outcome)) ?? Frame(.loaded)
        }
        guard let command = try? frame.decode(LoadCommand.self) else { return result("malformed load command") }
        StateRegistry.shared.currentGeneration = command.generation
        // Images are never closed: Swift images cannot be unloaded safely.
        guard let handle = dlopen(command.appImage, RTLD_NOW | RTLD_LOCAL) else {
            return result("dlopen(\(command.appImage)) failed: \(String(cString: dlerror()))")
        }
        guard let symbol = dlsym(handle, ImageEntry.symbol) else {
            return result("\(command.appImage) does not export \(ImageEntry.symbol)")
        }
        typealias EntryFunction = @convention(c) () -> UnsafeMutableRawPointer
        let entry = Unmanaged<ImageEntry>.fromOpaque(unsafeBitCast(symbol, to: EntryFunction.self)()).takeRetainedValue()
        guard entry.depsHash == command.depsHash else {
            return result(
                "refused \(command.appImage): it was compiled against deps image \(entry.depsHash), "
                    + "but this generation runs with \(command.depsHash)")
        }
        current.withLock { $0 = Current(generation: command.generation, entry: entry) }
        return result(nil)
    }

    /// Runs `operation` on the cooperative pool and blocks this (dedicated) thread for its result.
    private static func wait<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        let box = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await operation()
            box.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return box.withLock { $0! }
    }
}
