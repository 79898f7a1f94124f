public import Foundation
import Synchronization

/// The one process-wide store of state that outlives code reloads.
///
/// In development the runner loads this module exactly once and every generation of app and
/// framework code reaches the same registry; in production it is linked statically like any other
/// module. All members are safe to call from any thread.
public final class StateRegistry: Sendable {
    /// The registry of this process.
    public static let shared = StateRegistry()

    private let slots = Mutex<[String: Slot]>([:])
    private let generationCounter = Atomic<Int>(0)
    private let warningHandler = Mutex<@Sendable (String) -> Void>(StateRegistry.writeToStandardError)

    /// Creates an empty registry. Use ``shared`` unless a test needs isolation.
    public init() {}

    /// The generation of code currently being loaded or served; recorded as the defining
    /// generation of keys defined from now on. It is 0 until a dev runner sets it.
    public var currentGeneration: Int {
        get { generationCounter.load(ordering: .acquiring) }
        set { generationCounter.store(newValue, ordering: .releasing) }
    }

    /// Replaces the receiver of warnings (a value migrated or re-initialized because its type's
    /// layout changed).
    /// Warnings go to standard error until this is called.
    public func onWarning(_ handler: @escaping @Sendable (String) -> Void) {
        warningHandler.withLock { $0 = handler }
    }

    /// Returns the value stored under `key`, running `initializer` only when there is none.
    ///
    /// The initializer runs at most once per key for the life of the registry, even under
    /// concurrent first calls; other callers wait for it and receive its value. When the stored
    /// value is not a `T` because `T` was reloaded (a later generation of the same type):
    /// - with the same stored layout (same fully qualified name; same stored properties or cases,
    ///   names, order, offsets and types, recursively), the same instance is returned as a `T`.
    ///   An object (an actor, or an instance of a class without a superclass) has its class switched to the new `T` by one
    ///   atomic store of its metadata pointer, under this key's lock; a value (a struct, an enum)
    ///   is read as the new type. Calls of the earlier generation already running on the
    ///   instance finish on the earlier code, which reads the same layout; later calls by code
    ///   holding the new `T` run the new code.
    /// - otherwise (a changed layout, a class with a superclass, a value holding an app object),
    ///   a value whose old and new types are both `Codable` is migrated through its encoding, and
    ///   failing that the initializer runs again. One warning says what changed, such as
    ///   `RwState: key "loc": LocalVisits: stored property auditTrail added; re-initialized.`
    ///
    /// `initializer` must not define the same key.
    public func define<T: Sendable>(_ key: String, _ initializer: () throws -> T) rethrows -> T {
        try slot(for: key).entry.withLock { entry throws -> T in
            try resolve(&entry, key: key, initializer)
        }
    }

    /// The value stored under `key` as a `T`, adopted or migrated through `Codable` when its type
    /// was reloaded (as in ``define(_:_:)``); `nil` when there is no value or it cannot become a
    /// `T`, in which case the stored value is left as it is.
    public func get<T: Sendable>(_ key: String, as type: T.Type = T.self) -> T? {
        guard let slot = existingSlot(for: key) else { return nil }
        return slot.entry.withLock { entry -> T? in
            guard case .kept(let value) = carryOver(&entry, key: key, as: T.self) else { return nil }
            return value
        }
    }

    /// Stores `value` under `key`, replacing any earlier value. A key keeps the generation that
    /// first defined it.
    public func set<T: Sendable>(_ key: String, _ value: T) {
        let slot = self.slot(for: key)
        slot.entry.withLock { entry in
            entry = entry?.replacingValue(value) ?? Entry(value: value, generation: currentGeneration)
        }
    }

    /// Atomically reads and changes the value under `key`, defining it first with `initializer`
    /// when needed (same rules as ``define(_:_:)``). No other access to the key interleaves with
    /// `body`.
    public func update<T: Sendable, R: Sendable>(
        _ key: String,
        initializer: () throws -> T,
        _ body: (inout T) throws -> R
    ) rethrows -> R {
        try slot(for: key).entry.withLock { entry throws -> R in
            var value = try resolve(&entry, key: key, initializer)
            let result = try body(&value)
            entry = entry?.replacingValue(value)
            return result
        }
    }

    /// A description of every stored key, sorted by key, for inspection tools.
    public func entries() -> [StateEntry] {
        let all = slots.withLock { Array($0) }
        return all.compactMap { key, slot in
            slot.entry.withLock { entry in
                entry.map {
                    StateEntry(key: key, typeName: $0.typeName, generation: $0.generation, definedAt: $0.definedAt)
                }
            }
        }
        .sorted { $0.key < $1.key }
    }

    // MARK: - Internals

    private final class Slot: Sendable {
        let entry = Mutex<Entry?>(nil)
    }

    private struct Entry: @unchecked Sendable {
        // Only values that were `Sendable` when stored are kept here.
        let value: Any
        let typeName: String
        let generation: Int
        let definedAt: Date

        init<T: Sendable>(value: T, generation: Int, definedAt: Date = Date()) {
            self.value = value
            self.typeName = StateRegistry.typeName(T.self)
            self.generation = generation
            self.definedAt = definedAt
        }

        func replacingValue<T: Sendable>(_ value: T) -> Entry {
            Entry(value: value, generation: generation, definedAt: definedAt)
        }
    }

    /// The stored value as a `T`, adopted, migrated or re-initialized (and stored) when it is
    /// not one.
    private func resolve<T: Sendable>(
        _ entry: inout Entry?,
        key: String,
        _ initializer: () throws -> T
    ) rethrows -> T {
        switch carryOver(&entry, key: key, as: T.self) {
        case .kept(let value):
            return value
        case .refused(let reason):
            warn("RwState: key \"\(key)\"\(reason); re-initialized.")
        case .empty:
            break
        }
        let value = try initializer()
        entry = Entry(value: value, generation: currentGeneration)
        return value
    }

    private enum CarryOver<T> {
        /// The stored value as a `T` (as it was, adopted or migrated).
        case kept(T)
        /// Why the value cannot become a `T`: the warning's text that follows the quoted key.
        case refused(String)
        /// There is no stored value.
        case empty
    }

    /// Carries a stored value over to `T`: as is, adopted (same name and layout), or migrated
    /// through `Codable`, in which case the new value replaces the old one in `entry`; otherwise
    /// says why not. A migration caused by a changed declaration is reported: the key now holds
    /// a copy, no longer the instance earlier code may still hold. A migration of a value that is
    /// never adopted (a collection of app structs …) is the expected path for it and stays
    /// silent.
    private func carryOver<T: Sendable>(_ entry: inout Entry?, key: String, as type: T.Type) -> CarryOver<T> {
        guard let existing = entry else { return .empty }
        if let value = existing.value as? T { return .kept(value) }
        let reason: String
        var layoutChanged = false
        switch InstanceAdoption.adopt(existing.value, as: T.self) {
        case .adopted(let value):
            entry = existing.replacingValue(value)
            return .kept(value)
        case .refused(let difference):
            reason = ": \(TypeMetadata(T.self).displayName): \(difference)"
            layoutChanged = difference.isChange
        case .differentType:
            reason = " held a \(existing.typeName), a different type than \(Self.typeName(T.self))"
        }
        if let migrated: T = Self.migrate(existing.value, to: T.self) {
            if layoutChanged {
                warn("RwState: key \"\(key)\"\(reason); migrated through Codable.")
            }
            entry = existing.replacingValue(migrated)
            return .kept(migrated)
        }
        return .refused(reason)
    }

    private func slot(for key: String) -> Slot {
        slots.withLock { slots in
            if let slot = slots[key] { return slot }
            let slot = Slot()
            slots[key] = slot
            return slot
        }
    }

    private func existingSlot(for key: String) -> Slot? {
        slots.withLock { $0[key] }
    }

    private func warn(_ message: String) {
        let handler = warningHandler.withLock { $0 }
        handler(message)
    }

    /// `old` decoded as a `T` from its JSON encoding, when it is `Encodable` and `T` `Decodable`.
    static func migrate<T>(_ old: Any, to type: T.Type) -> T? {
        guard let encodable = old as? any Encodable,
            let decodable = T.self as? any Decodable.Type
        else { return nil }
        do {
            let data = try JSONEncoder().encode(encodable)
            return try JSONDecoder().decode(decodable, from: data) as? T
        } catch {
            return nil
        }
    }

    fileprivate static func typeName(_ type: Any.Type) -> String {
        String(reflecting: type)
    }

    private static let writeToStandardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}

/// A description of one stored key.
public struct StateEntry: Sendable, Codable, Equatable {
    /// The key the value is stored under.
    public let key: String
    /// The fully qualified name of the stored value's type, including its module.
    public let typeName: String
    /// The generation of code that first defined the key (0 outside a dev session).
    public let generation: Int
    /// When the key was first defined.
    public let definedAt: Date
}
