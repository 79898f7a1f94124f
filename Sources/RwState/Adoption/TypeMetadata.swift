@_spi(Reflection) import Swift

/// A read-only view of the Swift runtime's metadata for one type, enough to compare the stored
/// layouts of two generations of a type.
///
/// Reads the documented, ABI-stable metadata records of the Swift runtime on 64-bit platforms
/// without Objective-C interoperability (Linux): the metadata kind, the nominal type descriptor
/// and its field descriptor, the value witness table's size, stride and alignment, and for
/// classes the superclass, instance size and method table. Field offsets and field types come
/// from the standard library's reflection (`_forEachField(of:options:body:)`). Whatever this
/// view cannot read is reported as unknown (`nil`), which the comparison treats as "not
/// adopted", never as "same".
struct TypeMetadata {
    /// The type this metadata describes.
    let type: Any.Type

    init(_ type: Any.Type) {
        self.type = type
    }

    /// The kinds of type the comparison distinguishes.
    enum Kind: Equatable {
        case structure
        case enumeration
        case optional
        case tuple
        case classType
        case other(UInt)

        /// The kind in the words of a Swift user.
        var noun: String {
            switch self {
            case .structure: "a struct"
            case .enumeration, .optional: "an enum"
            case .tuple: "a tuple"
            case .classType: "a class"
            case .other: "a type of another kind"
            }
        }
    }

    /// One stored property (or, for an enum, one case) as declared.
    struct Field {
        /// The property's or case's name.
        let name: String
        /// The property's offset in the value (in the object, for a class); 0 for enum cases.
        let offset: Int
        /// The property's type, or the case's payload type; `nil` for a case without payload or
        /// a property whose type reflection cannot name.
        let type: Any.Type?
        /// Whether the case is `indirect`.
        let isIndirect: Bool
    }

    private var pointer: UnsafeRawPointer { unsafeBitCast(type, to: UnsafeRawPointer.self) }

    /// The metadata's identity: two types are the same type exactly when these are equal.
    var identity: ObjectIdentifier { ObjectIdentifier(type) }

    /// The metadata's kind (classes read as `.classType` only without Objective-C
    /// interoperability, where their first word is 0; elsewhere they read as `.other` and are
    /// never adopted).
    var kind: Kind {
        switch pointer.load(as: UInt.self) {
        case 0: .classType
        case 0x200: .structure
        case 0x201: .enumeration
        case 0x202: .optional
        case 0x301: .tuple
        case let other: .other(other)
        }
    }

    /// The fully qualified name, with the addresses the runtime prints for private and
    /// file-private declarations removed (they differ in every generation).
    var name: String {
        Self.normalized(_typeName(type, qualified: true))
    }

    /// The name as the user wrote it in the app, without module names.
    var displayName: String {
        Self.normalized(_typeName(type, qualified: false))
    }

    /// Size, stride and alignment, from the value witness table (valid for every kind).
    var memoryLayout: [Int] {
        let witnesses = pointer.load(fromByteOffset: -MemoryLayout<UnsafeRawPointer>.size, as: UnsafeRawPointer.self)
        let size = witnesses.load(fromByteOffset: 8 * MemoryLayout<UnsafeRawPointer>.size, as: Int.self)
        let stride = witnesses.load(fromByteOffset: 9 * MemoryLayout<UnsafeRawPointer>.size, as: Int.self)
        let flags = witnesses.load(fromByteOffset: 10 * MemoryLayout<UnsafeRawPointer>.size, as: UInt32.self)
        return [size, stride, Int(flags & 0xFF) + 1]
    }

    /// Whether values of the type cannot be copied (`~Copyable`, such as `Mutex`), from the value
    /// witness table's flags.
    var isNonCopyable: Bool {
        let witnesses = pointer.load(fromByteOffset: -MemoryLayout<UnsafeRawPointer>.size, as: UnsafeRawPointer.self)
        let flags = witnesses.load(fromByteOffset: 10 * MemoryLayout<UnsafeRawPointer>.size, as: UInt32.self)
        return flags & 0x80_0000 != 0  // IsNonCopyable
    }

    /// The nominal type descriptor: the same for every specialization of one declaration, and
    /// different for each generation of a reloaded declaration.
    var descriptor: UnsafeRawPointer? {
        switch kind {
        case .structure, .enumeration, .optional:
            pointer.load(fromByteOffset: 8, as: UnsafeRawPointer?.self)
        case .classType:
            pointer.load(fromByteOffset: 40, as: UnsafeRawPointer?.self)
        default:
            nil
        }
    }

    /// Whether the declaration has generic parameters.
    var isGeneric: Bool {
        guard let descriptor else { return false }
        return descriptor.load(as: UInt32.self) & 0x80 != 0
    }

    /// The superclass of a class, `nil` for a root class and for other kinds.
    var superclass: AnyClass? {
        guard kind == .classType, let type = type as? AnyClass else { return nil }
        return _getSuperclass(type)
    }

    /// A class's instance size and alignment mask; empty for other kinds.
    var instanceLayout: [Int] {
        guard kind == .classType else { return [] }
        return [Int(pointer.load(fromByteOffset: 24, as: UInt32.self)), Int(pointer.load(fromByteOffset: 28, as: UInt16.self))]
    }

    /// One entry of a class's method table.
    struct Method: Equatable {
        /// The implementation's symbol name.
        let symbol: String
        /// Whether it is an initializer (called on a metatype, not on an instance).
        let isInitializer: Bool
    }

    /// Whether the class is an actor.
    var isActor: Bool {
        guard kind == .classType, let descriptor else { return false }
        return (descriptor.load(as: UInt32.self) >> 16) & 0x80 != 0  // Class_IsActor
    }

    /// The entries of a class's method table (its vtable), in slot order. Code compiled against
    /// a class calls its overridable methods (and every method of an actor) through these slots,
    /// by index. Empty for a class without one; `nil` when the table cannot be located or an
    /// implementation cannot be named.
    var methodTable: [Method]? {
        guard kind == .classType, let descriptor else { return nil }
        let flags = descriptor.load(as: UInt32.self)
        let kindFlags = flags >> 16
        guard kindFlags & 0x8000 != 0 else { return [] }  // Class_HasVTable
        var offset = 44  // the class descriptor's fixed part
        if flags & 0x80 != 0 {
            // Generic: instantiation cache and pattern, then the generic context header.
            let parameters = Int(descriptor.load(fromByteOffset: offset + 8, as: UInt16.self))
            let requirements = Int(descriptor.load(fromByteOffset: offset + 10, as: UInt16.self))
            let genericFlags = descriptor.load(fromByteOffset: offset + 14, as: UInt16.self)
            // Packs, conditional invertible protocols and value parameters add more records.
            guard genericFlags == 0 else { return nil }
            offset += 16 + (parameters + 3) / 4 * 4 + requirements * 12
        }
        if kindFlags & 0x2000 != 0 { offset += 4 }  // Class_HasResilientSuperclass
        switch kindFlags & 0x3 {  // MetadataInitialization
        case 1: offset += 12  // singleton
        case 2: offset += 4  // foreign
        default: break
        }
        let tableOffset = Int(descriptor.load(fromByteOffset: offset, as: UInt32.self))
        let count = Int(descriptor.load(fromByteOffset: offset + 4, as: UInt32.self))
        let wordSize = MemoryLayout<UnsafeRawPointer>.size
        var methods: [Method] = []
        for slot in 0..<count {
            // Method descriptors follow the table header: flags (kind in the low 4 bits; 1 is an
            // initializer), then the implementation.
            let methodFlags = descriptor.load(fromByteOffset: offset + 8 + slot * 8, as: UInt32.self)
            guard let implementation = pointer.load(fromByteOffset: (tableOffset + slot) * wordSize, as: UnsafeRawPointer?.self),
                let name = ImageSymbols.functionName(at: implementation)
            else { return nil }
            methods.append(Method(symbol: name, isInitializer: methodFlags & 0xF == 1))
        }
        return methods
    }

    /// The stored properties of a struct, class or tuple, in declaration order, with offsets and
    /// types; `nil` when reflection cannot list them.
    var storedProperties: [Field]? {
        let records = fieldRecords
        var fields: [Field] = []
        // `_EachFieldOptions.classType` (bit 0), spelled by value: the static is a mutable global.
        let options = _EachFieldOptions(rawValue: kind == .classType ? 1 : 0)
        let complete = _forEachField(of: type, options: options) { name, offset, fieldType, _ in
            let name = String(cString: name)
            var resolved: Any.Type? = fieldType
            if ObjectIdentifier(fieldType) == ObjectIdentifier(Void.self) {
                // Reflection reports `()` for types it cannot hand out (non-copyable ones such as
                // `Mutex`); resolve the declared type from the field record instead.
                let record = records.first { $0.name == name }
                resolved = record.flatMap { record in record.mangledType.isEmpty ? nil : resolve(record) }
                if let record, record.mangledTypeText == "yt" { resolved = Void.self }
            }
            fields.append(Field(name: name, offset: offset, type: resolved, isIndirect: false))
            return true
        }
        // Without reflection metadata (compiled with `-disable-reflection-metadata`) names are
        // missing and the comparison could not tell properties apart.
        guard complete, !fields.contains(where: \.name.isEmpty) else { return nil }
        if kind != .tuple, superclass == nil, records.count != fields.count { return nil }
        return fields
    }

    /// The cases of an enum in declaration order, with their payload types; `nil` when a
    /// payload's type cannot be resolved.
    var cases: [Field]? {
        guard let descriptor else { return nil }
        let records = fieldRecords
        let payloadCases = Int(descriptor.load(fromByteOffset: 20, as: UInt32.self) & 0xFF_FFFF)
        let emptyCases = Int(descriptor.load(fromByteOffset: 24, as: UInt32.self))
        // Every case must be listed (reflection metadata may be stripped).
        guard !records.isEmpty, records.count == payloadCases + emptyCases else { return nil }
        var cases: [Field] = []
        for record in records {
            var payload: Any.Type?
            if !record.mangledType.isEmpty {
                guard let type = resolve(record) else { return nil }
                payload = type
            }
            cases.append(Field(name: record.name, offset: 0, type: payload, isIndirect: record.flags & 1 != 0))
        }
        return cases
    }

    // MARK: - Field records

    private struct FieldRecord {
        let flags: UInt32
        let name: String
        /// The mangled type name, including symbolic references (it may contain NUL bytes).
        let mangledType: [UInt8]
        let mangledTypeStart: UnsafePointer<UInt8>?

        var mangledTypeText: String { String(decoding: mangledType, as: UTF8.self) }
    }

    private var fieldRecords: [FieldRecord] {
        guard let descriptor, let fieldDescriptor = Self.relative(descriptor, 16) else { return [] }
        let recordSize = Int(fieldDescriptor.load(fromByteOffset: 10, as: UInt16.self))
        let count = Int(fieldDescriptor.load(fromByteOffset: 12, as: UInt32.self))
        return (0..<count).map { index in
            let record = fieldDescriptor + 16 + index * recordSize
            let name = Self.relative(record, 8).map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? ""
            let mangled = Self.relative(record, 4)?.assumingMemoryBound(to: UInt8.self)
            return FieldRecord(
                flags: record.load(as: UInt32.self), name: name,
                mangledType: mangled.map(Self.mangledName) ?? [], mangledTypeStart: mangled)
        }
    }

    /// Resolves a field record's type in the context of this metadata (its generic arguments
    /// included, for structs and enums).
    private func resolve(_ record: FieldRecord) -> Any.Type? {
        guard let start = record.mangledTypeStart, let descriptor else { return nil }
        var arguments: UnsafeRawPointer?
        if isGeneric {
            // Generic arguments follow the descriptor pointer in value metadata; class metadata
            // keeps them at an offset this view does not compute, so such fields stay unresolved.
            guard kind != .classType else { return nil }
            arguments = pointer + 2 * MemoryLayout<UnsafeRawPointer>.size
        }
        return _getTypeByMangledNameInContext(
            start, UInt(record.mangledType.count), genericContext: descriptor, genericArguments: arguments)
    }

    /// The bytes of a mangled name up to its terminating NUL, stepping over symbolic references
    /// (a control byte followed by a relative or absolute reference, which may contain NULs).
    private static func mangledName(_ start: UnsafePointer<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = 0
        while start[index] != 0 {
            let byte = start[index]
            let skip = (0x01...0x17).contains(byte) ? 4 : (0x18...0x1F).contains(byte) ? MemoryLayout<UnsafeRawPointer>.size : 0
            bytes.append(contentsOf: UnsafeBufferPointer(start: start + index, count: skip + 1))
            index += skip + 1
        }
        return bytes
    }

    private static func relative(_ base: UnsafeRawPointer, _ offset: Int) -> UnsafeRawPointer? {
        let value = base.load(fromByteOffset: offset, as: Int32.self)
        return value == 0 ? nil : base + offset + Int(value)
    }

    private static func normalized(_ name: String) -> String {
        // A regex is parsed anew on each use: only for the names that need it.
        guard name.contains("(unknown context at $") else { return name }
        return name.replacing(#/\(unknown context at \$[0-9a-fA-F]+\)/#, with: "(private)")
    }
}
