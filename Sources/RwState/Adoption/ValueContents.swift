/// What a type's values may hold, found by walking its metadata: stored properties, enum
/// payloads and the generic arguments of library types (an `Array`'s elements live in a buffer
/// its fields do not name).
enum ValueContents: Equatable {
    /// Only data: nothing below holds code or a reloaded type (other than the type itself).
    case data
    /// A function or closure somewhere in the layout, named (`(Int) -> Int`).
    case code(String)
    /// A reloaded app type below a top that is not one (an `Array` of app structs), named: the
    /// new generation's version of the whole type cannot be built.
    case reloadedInside(String)
    /// Something this walk cannot prove free of code, in the author's words.
    case unknown(String)

    /// Walks `type`. `isReloaded` says whether a nominal type belongs to reloaded app code. When
    /// `type` itself does, reloaded types below it are allowed: ``LayoutComparison`` compares
    /// them (and refuses what it cannot adopt).
    static func inspect(_ type: Any.Type, isReloaded: (Any.Type) -> Bool) -> ValueContents {
        var visited: Set<ObjectIdentifier> = []
        let flagsReloaded = !isReloaded(type)
        return walk(type, isTop: true, depth: 0, visited: &visited, flagsReloaded: flagsReloaded, isReloaded: isReloaded)
    }

    private static func walk(
        _ type: Any.Type, isTop: Bool, depth: Int, visited: inout Set<ObjectIdentifier>, flagsReloaded: Bool,
        isReloaded: (Any.Type) -> Bool
    ) -> ValueContents {
        let metadata = TypeMetadata(type)
        guard visited.insert(metadata.identity).inserted else { return .data }
        guard depth < 24 else { return .unknown("its layout nests too deep to inspect") }
        let kindWord = unsafeBitCast(type, to: UnsafeRawPointer.self).load(as: UInt.self)
        switch kindWord {
        case 0x302: return .code(metadata.displayName)
        case 0x303, 0x306: return .unknown("holds an existential (\(metadata.displayName)), which may hold code")
        default: break
        }
        var members: [Any.Type] = []
        switch metadata.kind {
        case .structure, .enumeration, .optional, .classType:
            if !isTop, flagsReloaded, metadata.kind != .optional, isReloaded(type) { return .reloadedInside(metadata.displayName) }
            if metadata.kind == .enumeration || metadata.kind == .optional {
                guard let cases = metadata.cases else {
                    return .unknown("the cases of \(metadata.displayName) cannot be listed")
                }
                members = cases.compactMap(\.type)
            } else {
                guard let fields = metadata.storedProperties else {
                    return .unknown("the stored properties of \(metadata.displayName) cannot be listed")
                }
                guard fields.allSatisfy({ $0.type != nil }) else {
                    return .unknown("a stored property of \(metadata.displayName) has a type that cannot be read")
                }
                members = fields.compactMap(\.type)
            }
            // An Optional's one argument is its payload, listed with its cases (its descriptor's
            // generic header also says the argument may be non-copyable, which the reading below
            // does not take).
            if metadata.kind != .optional {
                guard let arguments = metadata.genericTypeArguments else {
                    return .unknown("the generic arguments of \(metadata.displayName) cannot be read")
                }
                members += arguments
            }
        case .tuple:
            guard let fields = metadata.storedProperties else { return .unknown("a tuple's elements cannot be listed") }
            members = fields.compactMap(\.type)
        case .other:
            return .data
        }
        for member in members {
            let found = walk(member, isTop: false, depth: depth + 1, visited: &visited, flagsReloaded: flagsReloaded, isReloaded: isReloaded)
            if found != .data { return found }
        }
        return .data
    }
}

extension TypeMetadata {
    /// The type arguments of a generic struct or enum (empty when it is not generic, and for
    /// classes, whose stored properties reflection lists with their arguments applied), `nil`
    /// when they cannot be read (packs, value parameters).
    var genericTypeArguments: [Any.Type]? {
        guard isGeneric, kind != .classType else { return [] }
        guard let descriptor else { return nil }
        // After the struct's or enum's fixed part (28 bytes) and the instantiation cache and
        // pattern: parameter count, requirement count, key argument count, flags; then one byte
        // per parameter (0x80: it has a key argument; low bits 0: a type).
        let parameters = Int(descriptor.load(fromByteOffset: 36, as: UInt16.self))
        let flags = descriptor.load(fromByteOffset: 42, as: UInt16.self)
        guard flags == 0 else { return nil }
        let arguments = unsafeBitCast(type, to: UnsafeRawPointer.self) + 2 * MemoryLayout<UnsafeRawPointer>.size
        var types: [Any.Type] = []
        for index in 0..<parameters {
            let parameter = descriptor.load(fromByteOffset: 44 + index, as: UInt8.self)
            guard parameter & 0x80 != 0 else { continue }
            guard parameter & 0x3F == 0 else { return nil }
            let argument = arguments.load(fromByteOffset: types.count * MemoryLayout<UnsafeRawPointer>.size, as: UnsafeRawPointer.self)
            types.append(unsafeBitCast(argument, to: Any.Type.self))
        }
        return types
    }
}
