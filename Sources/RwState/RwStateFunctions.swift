/// Returns the process-wide value stored under `key`, creating it with `initializer` the first
/// time any code (of any generation) asks for it.
///
/// The initializer runs once per key for the life of the process, even under concurrent first
/// calls. When the stored value's type was reloaded, an instance with the same stored layout is
/// kept (the same object or value, running the new code); otherwise `Codable` values are
/// migrated and other values re-initialized, with one warning naming the change. See
/// ``StateRegistry/define(_:_:)`` and <doc:StateRules>.
public func defineRwState<T: Sendable>(_ key: String, _ initializer: () throws -> T) rethrows -> T {
    try StateRegistry.shared.define(key, initializer)
}

/// The process-wide value stored under `key`, or `nil` when there is none or it cannot become a
/// `T` (adopted or migrated as in ``defineRwState(_:_:)``).
public func getRwState<T: Sendable>(_ key: String, as type: T.Type = T.self) -> T? {
    StateRegistry.shared.get(key, as: type)
}

/// Stores `value` under `key` for the life of the process, replacing any earlier value.
public func setRwState<T: Sendable>(_ key: String, _ value: T) {
    StateRegistry.shared.set(key, value)
}

/// Atomically changes the process-wide value under `key` (defining it with `initializer` first
/// when needed) and returns what `body` returns. Concurrent updates of one key never interleave.
@discardableResult
public func updateRwState<T: Sendable, R: Sendable>(
    _ key: String,
    initializer: () throws -> T,
    _ body: (inout T) throws -> R
) rethrows -> R {
    try StateRegistry.shared.update(key, initializer: initializer, body)
}
