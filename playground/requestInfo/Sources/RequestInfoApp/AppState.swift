import Foundation
import RwSDK

/// An id created once for the life of the dev server's runner (or the production process).
/// The page shows it: if reloading code reset the state module, it would change.
let stateIdentity: String = defineRwState("requestInfo.stateIdentity") { UUID().uuidString }

/// The next per-request id, `req-1`, `req-2`, …; the count survives reloads.
func nextRequestID() -> String {
    let number = updateRwState("requestInfo.requestCount", initializer: { 0 }) { count in
        count += 1
        return count
    }
    return "req-\(number)"
}

/// The generation of code that first defined the state behind `requestInfo` (0 in production,
/// where code is never reloaded).
func requestInfoStoreGeneration() -> Int? {
    StateRegistry.shared.entries().first { $0.key == "requestInfoStore" }?.generation
}
