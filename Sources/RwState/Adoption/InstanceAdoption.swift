import Synchronization

/// Hands a value of an earlier generation's type to a later generation of the same type, when
/// their stored layouts are the same (see ``LayoutComparison``).
///
/// This is the semantics of hot reload: the instance stays, and the new generation's code runs on
/// it.
/// - **Objects** (actors, and classes without a superclass, final or not, when the stored object
///   is an instance of exactly that class): the same object is returned. Its metadata pointer
///   (the first word of every Swift object) is switched to the new generation's class with one
///   atomic compare-and-exchange, so a concurrent reader sees either the old or the new class,
///   never a torn word. Afterwards `as? T` succeeds for the new `T`, dynamic casts and
///   `type(of:)` name the new class, and the new generation's deinitializer runs when the last
///   reference goes.
/// - **Values** (structs, enums, tuples): the bits of the old value are loaded as the new type,
///   a copy made with the new type's value witnesses (valid because the layout is the same).
///
/// Calls already in flight keep running the code they started with: a method of the old
/// generation that is executing on an adopted object (or suspended in it, for an actor) finishes
/// on the old code, against the same stored properties at the same offsets, because the old
/// image is never unloaded. Jobs already queued on an adopted actor stay queued on it, in order.
/// Later calls from old code (a task the old generation started, a request still in flight):
/// - to a final class's methods are direct and run the old code;
/// - to an actor's methods, and to a non-final class's methods, go through the method table of
///   the object's class, so after the switch they run the new generation's version of the same
///   method. ``LayoutComparison`` adopts only when every slot of the old table holds the same
///   method in the new one (the table only grew at its end), so no call reaches another method.
///
/// Only the stored object itself is switched; an adopted value never contains an
/// object of a reloaded app class (the comparison refuses it), so no object is switched without
/// its key's lock held.
enum InstanceAdoption {
    /// The outcome of adopting one stored value.
    enum Outcome<T> {
        /// The same instance, typed as the new generation's `T`.
        case adopted(T)
        /// The value cannot become a `T`, and why.
        case refused(LayoutComparison.Difference)
        /// The stored value's type has another name: it is a different type, not an earlier
        /// generation of `T`.
        case differentType
    }

    /// Adopts `old` as a `T` when `T` is a later generation of its type with the same layout.
    /// Callers hold the lock of the key that stores `old`.
    static func adopt<T>(_ old: Any, as newType: T.Type) -> Outcome<T> {
        let oldType: Any.Type = type(of: old)
        guard TypeMetadata(oldType).name == TypeMetadata(newType).name else {
            if let subclass = subclassInstance(old, of: newType) {
                return .refused(.notAdopted("holds an instance of its subclass \(subclass); class hierarchies are not adopted"))
            }
            return .differentType
        }
        if let change = LayoutComparison.difference(from: oldType, to: newType) {
            return .refused(change)
        }
        if TypeMetadata(newType).kind == .classType {
            return adoptObject(old as AnyObject, from: oldType, as: newType)
        }
        func load<Old>(_ value: Old) -> T {
            withUnsafePointer(to: value) { UnsafeRawPointer($0).load(as: T.self) }
        }
        return .adopted(_openExistential(old, do: load))
    }

    /// The name of `old`'s class when it is a subclass of an earlier generation of `newType`.
    private static func subclassInstance<T>(_ old: Any, of newType: T.Type) -> String? {
        let name = TypeMetadata(newType).name
        guard TypeMetadata(newType).kind == .classType, let oldClass = type(of: old) as? AnyClass else { return nil }
        var ancestor: AnyClass? = _getSuperclass(oldClass)
        while let current = ancestor {
            if TypeMetadata(current).name == name { return TypeMetadata(oldClass).displayName }
            ancestor = _getSuperclass(current)
        }
        return nil
    }

    private static func adoptObject<T>(_ object: AnyObject, from oldType: Any.Type, as newType: T.Type) -> Outcome<T> {
        let header = Unmanaged.passUnretained(object).toOpaque()
        let isa = header.assumingMemoryBound(to: Atomic<UInt>.self)
        let expected = UInt(bitPattern: unsafeBitCast(oldType, to: Int.self))
        let desired = UInt(bitPattern: unsafeBitCast(newType as Any.Type, to: Int.self))
        // Another key holding the same object may have switched it meanwhile; then it is
        // already a `T`, or holds a class whose layout was compared by that key's adoption.
        let (exchanged, current) = isa.pointee.compareExchange(
            expected: expected, desired: desired, successOrdering: .acquiringAndReleasing, failureOrdering: .acquiring)
        guard exchanged || current == desired, let adopted = object as? T else {
            return .refused(.notAdopted("the object changed class while being adopted"))
        }
        return .adopted(adopted)
    }
}
