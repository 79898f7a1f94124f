@_spi(Reflection) import Swift
import Synchronization

/// The global and static stored variables one loaded image defines, found in its symbol table.
///
/// A stored global `App.x` (or static `App.Cache.shared`) of type `T` has a storage symbol
/// (`$s…vp`, `$s…vpZ` for a static) whose mangled name is the declaration's context and name
/// followed by `T`'s mangling. A lazily initialized one also has a once token (`$s<context and
/// name>_Wz`) that `swift_once` sets when its initializer has run; one initialized by the compiler
/// (a trivial constant) has none. Variables declared together (`let (a, b) = …`) share one token,
/// named after all of them.
///
/// `T` is read from the mangled name with the runtime's own demangler: the declaration's context
/// and name become labels of a tuple whose last element is `T`, so that the substitutions in
/// `T`'s mangling keep their meaning; the result is checked against the symbol's demangled text,
/// and a variable whose type cannot be read this way has none.
struct ImageGlobals: @unchecked Sendable {
    // Unchecked: the pointers point into images that are never unloaded, and tokens are only
    // read and written atomically.

    /// The globals of `image`, read once per image for the life of the process (images are never
    /// unloaded, and a variable's storage and token stay where they are).
    static func of(_ image: LoadedImages.Image) -> ImageGlobals {
        if let known = known.withLock({ $0[image] }) { return known }
        let read = ImageGlobals(image)
        known.withLock { $0[image] = read }
        return read
    }

    private static let known = Mutex<[LoadedImages.Image: ImageGlobals]>([:])

    /// One stored global or static variable.
    struct Variable {
        /// The storage symbol.
        let symbol: String
        /// The qualified name, without private discriminators (`App.signingKey`, `App.Cache.shared`).
        let name: String
        /// The mangled context and name (the symbol without its type): equal for two generations
        /// of one declaration even when its type changed.
        let declaration: String?
        /// The storage.
        let storage: UnsafeMutableRawPointer
        /// The once token, `nil` for a variable the compiler initialized.
        let token: UnsafeMutableRawPointer?
        /// Whether the variable shares its token with others (`let (a, b) = …`).
        let inPattern: Bool
        /// The declared type as the runtime resolves its name (for a type of the app, that name
        /// may resolve to an earlier generation's type); `nil` when it cannot be read.
        let type: Any.Type?
        /// The declared type as the demangler prints it.
        let typeText: String

        /// Whether the variable holds a value: its initializer ran (or the compiler gave it one).
        var isInitialized: Bool {
            guard let token else { return true }
            return token.assumingMemoryBound(to: Atomic<Int32>.self).pointee.load(ordering: .acquiring) < 0
        }

        /// Marks the variable as initialized, so its initializer never runs. The value must be in
        /// place.
        func markInitialized() {
            // The runtime's once on Linux: a 32-bit state, negative once done.
            token?.assumingMemoryBound(to: Atomic<Int32>.self).pointee.store(-1, ordering: .releasing)
        }
    }

    /// The image these variables belong to.
    let image: LoadedImages.Image
    /// The variables by storage symbol.
    let variables: [String: Variable]
    /// Metadata accessors (`$s…Ma`) of the image's types, by symbol.
    private let accessors: [String: UInt64]

    /// Reads the globals of `image` (already loaded). Nothing is initialized.
    init(_ image: LoadedImages.Image) {
        self.image = image
        let symbols = ImageSymbols.symbols(inFileAt: image.path) { name in
            // Raw bytes: most of an image's symbols are other things, never made Strings.
            guard name.count > 4, name[0] == 0x24, name[1] == 0x73 else { return false }  // "$s"
            let (last, second, third) = (name[name.count - 1], name[name.count - 2], name[name.count - 3])
            switch (third, second, last) {
            case (_, 0x76, 0x70), (0x76, 0x70, 0x5A), (0x5F, 0x57, 0x7A), (_, 0x4D, 0x61): return true  // vp, vpZ, _Wz, Ma
            default: return false
            }
        }
        let base = UnsafeMutableRawPointer(bitPattern: image.base)
        func address(_ offset: UInt64) -> UnsafeMutableRawPointer? {
            base.map { $0 + Int(offset) } ?? UnsafeMutableRawPointer(bitPattern: UInt(offset))
        }
        accessors = symbols.filter { $0.key.hasSuffix("Ma") }.mapValues(\.address)
        let tokens = Set(symbols.keys.filter { $0.hasSuffix("_Wz") })
        // What each token names: `$s<declaration>_Wz`.
        let tokenDeclarations = Set(tokens.map { $0.dropFirst(2).dropLast(3) })
        var ownTokens: Set<String> = []
        var found: [String: Variable] = [:]
        var withoutToken: [(symbol: String, offset: UInt64)] = []
        // Read-only storage holds constants the compiler computed (`let limit = 5`): the new
        // image has the value its declaration says, and nothing may write there.
        for (symbol, entry) in symbols where (symbol.hasSuffix("vp") || symbol.hasSuffix("vpZ")) && entry.isWritable {
            let offset = entry.address
            let body = Self.body(of: symbol)
            // The longest prefix of the body that names a token of its own: context and name.
            // (Mangled names are ASCII: UTF-8 offsets are characters.)
            var declaration: String?
            var end = body.utf8.endIndex
            while end > body.utf8.startIndex {
                if tokenDeclarations.contains(body[..<end]) {
                    declaration = String(body[..<end])
                    break
                }
                end = body.utf8.index(before: end)
            }
            guard let declaration, let storage = address(offset) else {
                withoutToken.append((symbol, offset))
                continue
            }
            let token = "$s\(declaration)_Wz"
            ownTokens.insert(token)
            found[symbol] = Self.variable(
                symbol, declaration: declaration, storage: storage, token: symbols[token].flatMap { address($0.address) }, inPattern: false)
        }
        // Tokens of patterns (`let (a, b) = …`) name each of their variables, each followed by `_`.
        let patterns = tokens.subtracting(ownTokens).map { String($0.dropFirst(2).dropLast(3)) }
        for (symbol, offset) in withoutToken {
            guard let storage = address(offset) else { continue }
            let body = Self.body(of: symbol)
            let inPattern = patterns.contains { pattern in
                Self.shortName(of: symbol).map { name in pattern.contains("\(name.utf8.count)\(name)_") } ?? true
            }
            var variable = Self.variable(symbol, declaration: nil, storage: storage, token: nil, inPattern: inPattern)
            if !inPattern {
                // Compiler-initialized: the context and name as plain identifiers, else find
                // where the type starts by trying each split.
                let plain = Self.plainDeclaration(in: body).map { [$0] } ?? []
                for split in plain + body.indices.dropFirst() {
                    let candidate = Self.variable(
                        symbol, declaration: String(body[..<split]), storage: storage, token: nil, inPattern: false)
                    if candidate.type != nil {
                        variable = candidate
                        break
                    }
                }
            }
            found[symbol] = variable
        }
        variables = found
    }

    /// The metadata of the type whose standalone mangled name is `mangledType`, as this image
    /// defines it (by calling the image's own metadata accessor); `nil` when the image does not
    /// define a non-generic type of that name.
    func metadata(ofMangledType mangledType: String) -> Any.Type? {
        guard let offset = accessors["$s\(mangledType)Ma"],
            let function = UnsafeRawPointer(bitPattern: image.base + UInt(offset))
        else { return nil }
        // A non-generic type's accessor takes the metadata request (0: complete) and returns the
        // metadata first.
        typealias Accessor = @convention(c) (Int) -> UnsafeRawPointer?
        guard let metadata = unsafeBitCast(function, to: Accessor.self)(0) else { return nil }
        return unsafeBitCast(metadata, to: Any.Type.self)
    }

    // MARK: - Names and types

    private static func body(of symbol: String) -> Substring {
        symbol.dropFirst(2).dropLast(symbol.hasSuffix("Z") ? 3 : 2)
    }

    private static func variable(
        _ symbol: String, declaration: String?, storage: UnsafeMutableRawPointer, token: UnsafeMutableRawPointer?, inPattern: Bool
    ) -> Variable {
        let described = description(of: symbol, declaration: declaration)
        return Variable(
            symbol: symbol, name: described.name, declaration: declaration, storage: storage, token: token, inPattern: inPattern,
            type: described.type, typeText: described.typeText)
    }

    /// What a storage symbol says of its variable: its name, its type's text, and the type.
    private struct Description: @unchecked Sendable {
        // Unchecked: `Any.Type` is an immutable metadata pointer.
        let name: String
        let typeText: String
        let type: Any.Type?
    }

    /// Descriptions by symbol and declaration. A symbol names one declaration and one type in
    /// every generation, and the runtime resolves a type's name to one type for the life of the
    /// process, so each is worked out once: a reload then costs a lookup per variable.
    private static let descriptions = Mutex<[String: Description]>([:])

    private static func description(of symbol: String, declaration: String?) -> Description {
        let key = "\(symbol) \(declaration ?? "")"
        if let known = descriptions.withLock({ $0[key] }) { return known }
        let described = describe(symbol, declaration: declaration)
        descriptions.withLock { $0[key] = described }
        return described
    }

    private static func describe(_ symbol: String, declaration: String?) -> Description {
        let demangled = SymbolName.demangled(symbol) ?? symbol
        let parts = demangled.split(separator: " : ", maxSplits: 1).map(String.init)
        var name = parts[0]
        if name.hasPrefix("static ") { name.removeFirst("static ".count) }
        if name.contains(" in _") {
            name = name.replacing(#/\((\w+) in _[0-9A-F]+\)/#) { String($0.output.1) }
        }
        let typeText = parts.count == 2 ? parts[1] : ""
        var type: Any.Type?
        if let declaration, !typeText.isEmpty {
            let mangledType = body(of: symbol).dropFirst(declaration.count)
            type = resolve(declaration: declaration, type: mangledType, isStatic: symbol.hasSuffix("Z"), expected: typeText)
        }
        return Description(name: name, typeText: typeText, type: type)
    }

    /// Where the type starts in a storage symbol's body made of plain identifiers: the module,
    /// nominal types (`V`, `C`, `O`) and the name, with a private discriminator (`…LL`).
    private static func plainDeclaration(in body: Substring) -> Substring.Index? {
        guard let module = identifier(at: body) else { return nil }
        var rest = body.dropFirst(module.count)
        while let name = identifier(at: rest) {
            rest = rest.dropFirst(name.count)
            if let kind = rest.first, "VCO".contains(kind), identifier(at: rest.dropFirst()) != nil {
                rest = rest.dropFirst()
                continue
            }
            if let discriminator = identifier(at: rest), rest.dropFirst(discriminator.count).hasPrefix("LL") {
                rest = rest.dropFirst(discriminator.count + 2)
            }
            return rest.startIndex
        }
        return nil
    }

    /// The last component of a variable's demangled name (`b` for `App.b`).
    private static func shortName(of symbol: String) -> String? {
        guard let demangled = SymbolName.demangled(symbol) else { return nil }
        let name = demangled.split(separator: " : ", maxSplits: 1)[0]
        return name.split(separator: ".").last.map(String.init)
    }

    /// Resolves the type mangled after `declaration` in a storage symbol. A static's context is
    /// a type, so `<context><name>_<type>t` is the tuple `(name: Context, T)`; a global's context
    /// is a module, which becomes a label: `Si<module>_Si<name><type>t` is
    /// `(Module: Int, name: Int, T)`. Both keep every identifier and type before `T` in the same
    /// order, so `T`'s substitutions refer to the same things.
    private static func resolve(declaration: String, type: Substring, isStatic: Bool, expected: String) -> Any.Type? {
        var tuple: String
        if isStatic {
            tuple = "\(declaration)_\(type)t"
        } else {
            guard let module = identifier(at: declaration[...]) else { return nil }
            var rest = declaration.dropFirst(module.count)
            var labels = ""
            if rest.hasSuffix("LL") {
                // A private name: the name, then its discriminator.
                rest = rest.dropLast(2)
                guard let name = identifier(at: rest), name.count < rest.count else { return nil }
                labels = "Si\(name)Si\(rest.dropFirst(name.count))"
            } else {
                guard identifier(at: rest)?.count == rest.count else { return nil }
                labels = "Si\(rest)"
            }
            tuple = "Si\(module)_\(labels)\(type)t"
        }
        guard SymbolName.demangled("$s\(tuple)D")?.hasSuffix(", \(expected))") == true else { return nil }
        let resolved: Any.Type? = tuple.utf8CString.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) {
                _getTypeByMangledNameInContext($0.baseAddress!, UInt(tuple.utf8.count), genericContext: nil, genericArguments: nil)
            }
        }
        guard let resolved, TypeMetadata(resolved).kind == .tuple else { return nil }
        // Tuple metadata: kind, element count, labels, then (type, offset) per element.
        let pointer = unsafeBitCast(resolved, to: UnsafeRawPointer.self)
        let count = pointer.load(fromByteOffset: 8, as: Int.self)
        guard count >= 2 else { return nil }
        let element = pointer.load(fromByteOffset: 24 + (count - 1) * 16, as: UnsafeRawPointer.self)
        return unsafeBitCast(element, to: Any.Type.self)
    }

    /// The plain identifier (`<length><characters>`) at the start of `text`.
    private static func identifier(at text: Substring) -> Substring? {
        let utf8 = text.utf8
        var index = utf8.startIndex
        var length = 0
        while index != utf8.endIndex, (0x30...0x39).contains(utf8[index]), length < 100_000 {
            if length == 0, utf8[index] == 0x30 { return nil }  // no leading zero
            length = length * 10 + Int(utf8[index] - 0x30)
            index = utf8.index(after: index)
        }
        guard length > 0, let end = utf8.index(index, offsetBy: length, limitedBy: utf8.endIndex) else { return nil }
        return text[text.startIndex..<end]
    }
}
