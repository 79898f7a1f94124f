import Synchronization

/// Compares the stored layouts of two generations of a type, and says what changed in the words
/// of the app's author.
///
/// Two types have the *same layout* when an instance of the old one is, bit for bit, a valid
/// instance of the new one, so that the new generation's code may run on it:
/// - they are the same type (the same metadata), or
/// - they have the same fully qualified name and kind, the same size, stride and alignment, and
///   - structs, tuples and classes without a superclass: the same stored properties with the same names, in
///     the same order, at the same offsets, each of the same layout;
///   - enums: the same cases with the same names, in the same order, the same `indirect`
///     markers, and payloads of the same layout.
///
/// The comparison refuses what it cannot prove safe, naming it:
/// - a class inside a value or object (a stored property holding an instance of a reloaded app
///   class or actor): the referenced object would keep its old class, so casts to the new class
///   would fail. Keep such an object under its own key.
/// - a library type (`Mutex`, `Result` …) whose generic arguments are reloaded app types, except
///   the containers of ``AdoptableContainer`` (`Array`, `ContiguousArray`, `Set`, `Dictionary`),
///   which are kept as they are when their elements have the same layout.
/// - existentials, functions and metatypes of reloaded types: their witness tables and code
///   belong to the old generation.
/// - a class with a superclass, on either side.
enum LayoutComparison {
    /// Why a value cannot be handed to a later generation of its type.
    struct Difference: Equatable, Sendable, CustomStringConvertible {
        /// What differs or what is not adopted, in the app author's words (such as
        /// `stored property auditTrail added`).
        var description: String
        /// Whether the declarations differ (a property added, removed, reordered or retyped, a
        /// case changed, a superclass given); `false` when the layouts may be the same but the
        /// kind of value is one that is never adopted (a class hierarchy, a value holding an app
        /// object, a library container of app types).
        var isChange: Bool

        static func changed(_ description: String) -> Difference { Difference(description: description, isChange: true) }
        static func notAdopted(_ description: String) -> Difference { Difference(description: description, isChange: false) }

        func prefixed(_ prefix: String) -> Difference { Difference(description: prefix + description, isChange: isChange) }
    }

    /// Why a value of `old` cannot be handed out as a `new`, or `nil` when it can.
    ///
    /// Worked out once per pair of types: metadata never changes or moves in a process whose
    /// images are never unloaded, and a reload adopts many values of the same few types.
    static func difference(from old: Any.Type, to new: Any.Type) -> Difference? {
        let key = Pair(old: ObjectIdentifier(old), new: ObjectIdentifier(new))
        if let known = compared.withLock({ $0[key] }) { return known }
        let difference = compare(old, new)
        compared.withLock { $0[key] = .some(difference) }
        return difference
    }

    private struct Pair: Hashable {
        let old: ObjectIdentifier
        let new: ObjectIdentifier
    }

    private static let compared = Mutex<[Pair: Difference?]>([:])

    private static func compare(_ old: Any.Type, _ new: Any.Type) -> Difference? {
        let old = TypeMetadata(old)
        let new = TypeMetadata(new)
        if old.identity == new.identity { return nil }
        guard old.name == new.name else {
            return .changed("now \(new.displayName), was \(old.displayName)")
        }
        guard old.kind == new.kind else {
            return .changed("became \(new.kind.noun), was \(old.kind.noun)")
        }
        if old.kind == .classType {
            return classDifference(old, new)
        }
        return valueDifference(old, new)
    }

    // MARK: - Classes (only at the top: the object itself is adopted)

    private static func classDifference(_ old: TypeMetadata, _ new: TypeMetadata) -> Difference? {
        if let superclass = old.superclass {
            return .notAdopted("class has a superclass (\(TypeMetadata(superclass).displayName))")
        }
        if let superclass = new.superclass {
            return .changed("class given a superclass (\(TypeMetadata(superclass).displayName))")
        }
        if let change = propertiesDifference(old, new) { return change }
        if old.instanceLayout != new.instanceLayout { return .changed("instance size changed") }
        return methodTableDifference(old, new)
    }

    /// Code of an earlier generation that still runs (a request in flight, a task it started)
    /// calls the object's overridable methods, and every method of an actor, through the
    /// metadata's method table by slot number. Once the object has the new class, each of those
    /// slots must hold the new version of the same method: the table may only grow at its end.
    /// An actor's initializers are the exception: they are called on the metatype the code
    /// names (the old class, for old code), never through an instance's class, since actors
    /// have no `required` initializers; so an actor's implicit initializer, which comes last,
    /// may move.
    private static func methodTableDifference(_ old: TypeMetadata, _ new: TypeMetadata) -> Difference? {
        guard let oldTable = old.methodTable, let newTable = new.methodTable else {
            return .notAdopted("its methods cannot be compared")
        }
        let skipsInitializers = old.isActor && new.isActor
        for (slot, method) in oldTable.enumerated() where !(skipsInitializers && method.isInitializer) {
            if slot < newTable.count && newTable[slot] == method { continue }
            let name = SymbolName.readable(method.symbol, in: new.displayName)
            if !newTable.contains(method) {
                return .changed("method \(name) removed")
            }
            let advice =
                old.isActor
                ? "add new methods after the existing ones or in an extension to keep the instance"
                : "add new methods in an extension, or mark the class final, to keep the instance"
            return .changed("methods inserted or moved before \(name) (\(advice))")
        }
        return nil
    }

    // MARK: - Values

    private static func valueDifference(_ old: TypeMetadata, _ new: TypeMetadata) -> Difference? {
        let change: Difference?
        switch old.kind {
        case .structure:
            if old.descriptor == new.descriptor {
                // Same declaration (a library type), specialized with different (reloaded) types:
                // kept as it is when it is a container whose elements have the same layout.
                guard old.isAdoptableContainer, let oldElements = old.genericTypeArguments,
                    let newElements = new.genericTypeArguments, oldElements.count == newElements.count
                else { return .notAdopted("a library type holding reloaded app types is not adopted") }
                for (oldElement, newElement) in zip(oldElements, newElements) {
                    if let change = memberDifference(oldElement, newElement) { return change.prefixed("element ") }
                }
                return nil
            }
            change = propertiesDifference(old, new)
        case .tuple:
            change = propertiesDifference(old, new)
        case .enumeration, .optional:
            change = casesDifference(old, new)
        case .classType, .other:
            return .notAdopted("\(new.displayName) cannot be compared across reloads")
        }
        if let change { return change }
        if old.memoryLayout != new.memoryLayout { return .changed("size changed") }
        return nil
    }

    /// Compares the stored properties of two structs, tuples or classes.
    private static func propertiesDifference(_ old: TypeMetadata, _ new: TypeMetadata) -> Difference? {
        guard let oldFields = old.storedProperties, let newFields = new.storedProperties else {
            return .notAdopted("its stored properties cannot be listed")
        }
        if let change = membershipDifference(oldFields.map(\.name), newFields.map(\.name), noun: "stored property", plural: "properties") {
            return change
        }
        for (oldField, newField) in zip(oldFields, newFields) {
            let subject = new.kind == .tuple ? "element \(newField.name)" : "stored property \(newField.name)"
            guard let oldType = oldField.type, let newType = newField.type else {
                return .notAdopted("\(subject) has a type that cannot be compared")
            }
            if let change = memberDifference(oldType, newType) {
                return change.prefixed("\(subject) ")
            }
            if oldField.offset != newField.offset { return .changed("\(subject) moved") }
        }
        return nil
    }

    /// Compares the cases of two enums.
    private static func casesDifference(_ old: TypeMetadata, _ new: TypeMetadata) -> Difference? {
        guard let oldCases = old.cases, let newCases = new.cases else {
            return .notAdopted("its cases cannot be listed")
        }
        if let change = membershipDifference(oldCases.map(\.name), newCases.map(\.name), noun: "case", plural: "cases") {
            return change
        }
        for (oldCase, newCase) in zip(oldCases, newCases) {
            if oldCase.isIndirect != newCase.isIndirect {
                return .changed("case \(newCase.name) \(newCase.isIndirect ? "became" : "is no longer") indirect")
            }
            switch (oldCase.type, newCase.type) {
            case (nil, nil):
                continue
            case (nil, .some):
                return .changed("case \(newCase.name) given a payload")
            case (.some, nil):
                return .changed("case \(newCase.name) lost its payload")
            case (let oldType?, let newType?):
                if let change = memberDifference(oldType, newType) {
                    return change.prefixed("case \(newCase.name) payload ")
                }
            }
        }
        return nil
    }

    /// Compares the types of one property, element or payload in both generations.
    private static func memberDifference(_ old: Any.Type, _ new: Any.Type) -> Difference? {
        let old = TypeMetadata(old)
        let new = TypeMetadata(new)
        if old.identity == new.identity { return nil }
        guard old.name == new.name, old.kind == new.kind else {
            return .changed("retyped from \(old.displayName) to \(new.displayName)")
        }
        if old.kind == .classType {
            return .notAdopted("refers to an instance of app class \(new.displayName); keep that object under its own key")
        }
        if let change = valueDifference(old, new) {
            return change.prefixed("(\(new.displayName)): ")
        }
        return nil
    }

    /// Names the members added, removed or reordered between two lists of names.
    private static func membershipDifference(_ old: [String], _ new: [String], noun: String, plural: String) -> Difference? {
        if old == new { return nil }
        let added = new.filter { !old.contains($0) }
        let removed = old.filter { !new.contains($0) }
        var changes: [String] = []
        if !added.isEmpty { changes.append("\(noun) \(added.joined(separator: ", ")) added") }
        if !removed.isEmpty { changes.append("\(noun) \(removed.joined(separator: ", ")) removed") }
        if changes.isEmpty { return .changed("\(plural) reordered") }
        return .changed(changes.joined(separator: ", "))
    }
}
