/// Carries the global and static stored variables of one image over to the next generation of
/// that image, before any of the new generation's code runs.
///
/// For each variable of the new image whose storage symbol (its context, name and type) the old
/// image also defines:
/// - the old generation never initialized it: it stays lazy, and initializes on first use;
/// - it is named in `reinitialize` (its declaration changed), it holds code (a function or
///   closure anywhere in its layout), an existential (which may hold code), or a reloaded app
///   type inside another type — except an ``AdoptableContainer`` or `Optional` of app structs
///   and enums whose layout is the same in both generations, which is copied as it is: it is
///   left to initialize anew;
/// - its type is a type of the app that was reloaded (a class, actor, struct or enum): the value
///   is adopted as ``InstanceAdoption`` says (the very same object, switched to the new class;
///   a value read as the new type), else migrated through `Codable`, else left to initialize
///   anew, naming the difference;
/// - otherwise (a type that did not reload: the standard library's, a package's): the value is
///   copied with the type's value witnesses (an object is retained: the same instance).
/// A kept variable's once token is then marked done, so its initializer never runs. A
/// variable whose type changed has another symbol: it initializes anew, and is reported.
///
/// The copy is taken once, at load: code of the earlier generation still running (a request in
/// flight) that writes a kept *value* afterwards writes the old copy, which the new generation
/// never sees. Objects are shared, so writes through them are seen by both.
enum GlobalCarryOver {
    /// Carries `old`'s values into `new`'s storage. `reinitialize`: qualified names → reason, for
    /// declarations that changed. `refuseAll`: why nothing may be kept (every initialized
    /// variable starts anew). `isReloaded`: whether an address (a type's descriptor) lies in
    /// an image of reloaded code.
    static func carry(
        from old: ImageGlobals, to new: ImageGlobals, reinitialize: [String: String], refuseAll: String? = nil,
        isReloaded: (UnsafeRawPointer) -> Bool
    ) -> GlobalsReport {
        var report = GlobalsReport()
        let oldByDeclaration = Dictionary(
            old.variables.values.compactMap { variable in variable.declaration.map { ($0, variable) } }, uniquingKeysWith: { a, _ in a })
        for variable in new.variables.values.sorted(by: { $0.name < $1.name }) {
            guard let previous = old.variables[variable.symbol] else {
                if let declaration = variable.declaration, let previous = oldByDeclaration[declaration], previous.isInitialized {
                    report.reset.append(.init(name: variable.name, reason: "type changed", losesState: false))
                }
                continue
            }
            guard previous.isInitialized else {
                report.lazy.append(variable.name)
                continue
            }
            if let refuseAll {
                report.reset.append(.init(name: variable.name, reason: refuseAll, losesState: true))
                continue
            }
            switch carry(previous, to: variable, old: old, new: new, reinitialize: reinitialize, isReloaded: isReloaded) {
            case .kept:
                variable.markInitialized()
                report.kept.append(variable.name)
            case .reset(let reason, let losesState, let holdsCode):
                report.reset.append(.init(name: variable.name, reason: reason, losesState: losesState, holdsCode: holdsCode))
            }
        }
        return report
    }

    private enum Outcome {
        case kept
        case reset(String, losesState: Bool, holdsCode: Bool = false)
    }

    private static func carry(
        _ previous: ImageGlobals.Variable, to variable: ImageGlobals.Variable, old: ImageGlobals, new: ImageGlobals,
        reinitialize: [String: String], isReloaded: (UnsafeRawPointer) -> Bool
    ) -> Outcome {
        if previous.inPattern || variable.inPattern {
            return .reset("declared with others in one pattern", losesState: true)
        }
        if let reason = reinitialize[variable.name] { return .reset(reason, losesState: false) }
        // A function type anywhere in the declared type (which the tuple reading cannot always
        // resolve): code.
        if variable.typeText.contains(" -> ") { return .reset("holds code (\(variable.typeText))", losesState: false, holdsCode: true) }
        guard let type = variable.type else { return .reset("its type \(variable.typeText) cannot be read", losesState: true) }
        if TypeMetadata(type).isNonCopyable {
            // Both generations would hold one lock or one unique value: put it in a class.
            return .reset("\(TypeMetadata(type).displayName) cannot be copied (keep it in a class or with defineRwState)", losesState: true)
        }
        func isReloadedType(_ type: Any.Type) -> Bool {
            guard let descriptor = TypeMetadata(type).descriptor else { return false }
            return isReloaded(descriptor)
        }
        let reloadedType = isReloadedType(type)
        switch ValueContents.inspect(type, isReloaded: { isReloadedType($0) }) {
        case .code(let what): return .reset("holds code (\(what))", losesState: false, holdsCode: true)
        case .unknown(let what): return .reset(what, losesState: true)
        case .reloadedInside(let what):
            // An Array, Set, Dictionary or Optional of app types is kept as it is when those types
            // have the same layout in both generations (see AdoptableContainer).
            if let difference = containerDifference(type, old: old, new: new, isReloaded: isReloadedType) {
                return .reset(
                    difference.isChange ? difference.description : "holds \(what), a type of the app, inside another type", losesState: true)
            }
        case .data: break
        }
        guard reloadedType else {
            // The same type in both generations.
            func copy<T>(_: T.Type) {
                write(previous.storage.assumingMemoryBound(to: T.self).pointee, to: variable.storage, initialize: variable.token != nil)
            }
            _openExistential(type, do: copy)
            return .kept
        }
        guard let mangled = _mangledTypeName(type),
            let oldType = old.metadata(ofMangledType: mangled), let newType = new.metadata(ofMangledType: mangled)
        else { return .reset("its type \(variable.typeText) cannot be found in both generations", losesState: true) }
        func load<T>(_: T.Type) -> Any { previous.storage.assumingMemoryBound(to: T.self).pointee }
        let value = _openExistential(oldType, do: load)
        func store<T>(_ newType: T.Type) -> Outcome {
            switch InstanceAdoption.adopt(value, as: T.self) {
            case .adopted(let adopted):
                write(adopted, to: variable.storage, initialize: variable.token != nil)
                return .kept
            case .refused(let difference):
                if let migrated: T = StateRegistry.migrate(value, to: T.self) {
                    write(migrated, to: variable.storage, initialize: variable.token != nil)
                    return .kept
                }
                return .reset("\(TypeMetadata(T.self).displayName): \(difference)", losesState: true)
            case .differentType:
                return .reset("now a \(TypeMetadata(T.self).displayName)", losesState: true)
            }
        }
        return _openExistential(newType, do: store)
    }

    /// Why a value of `type` (which holds reloaded app types) cannot be kept as it is, or `nil`
    /// when it can: `type` is an ``AdoptableContainer`` or an `Optional` whose element types are
    /// each a non-generic app type with the same layout in `old` and `new` (each generation's own
    /// metadata, from its accessor), or hold no reloaded type, or are such containers in turn.
    private static func containerDifference(
        _ type: Any.Type, old: ImageGlobals, new: ImageGlobals, isReloaded: (Any.Type) -> Bool
    ) -> LayoutComparison.Difference? {
        let metadata = TypeMetadata(type)
        guard let elements = metadata.containerElements else {
            return .notAdopted("\(metadata.displayName) cannot be kept across reloads")
        }
        for element in elements {
            if isReloaded(element) {
                if TypeMetadata(element).kind == .classType {
                    // Its objects would keep the earlier generation's class.
                    return .notAdopted("holds instances of app class \(TypeMetadata(element).displayName)")
                }
                guard let mangled = _mangledTypeName(element), let oldType = old.metadata(ofMangledType: mangled),
                    let newType = new.metadata(ofMangledType: mangled)
                else { return .notAdopted("\(TypeMetadata(element).displayName) cannot be found in both generations") }
                if let change = LayoutComparison.difference(from: oldType, to: newType) {
                    return change.prefixed("\(TypeMetadata(newType).displayName): ")
                }
            } else if ValueContents.inspect(element, isReloaded: isReloaded) != .data,
                let change = containerDifference(element, old: old, new: new, isReloaded: isReloaded)
            {
                return change
            }
        }
        return nil
    }

    /// Writes into lazy storage (never initialized: `initialize`) or over a compiler-initialized
    /// value.
    private static func write<T>(_ value: T, to target: UnsafeMutableRawPointer, initialize: Bool) {
        let pointer = target.assumingMemoryBound(to: T.self)
        if initialize { pointer.initialize(to: value) } else { pointer.pointee = value }
    }
}
