/// Keeps the global and static stored variables of reloaded images across generations: the
/// entry point a dev runner calls around each `dlopen` of a generation.
///
/// Images of reloaded code are named `lib<Module>-<generation>.so` and live in one folder; the
/// images a `dlopen` adds in that folder are the new generations of their modules (the app
/// target's, and those of the local targets relinked with it), and each takes over the values of
/// the newest earlier image of its module still loaded (images are never unloaded). Images
/// elsewhere (the deps image, RwState) are never touched. See ``GlobalCarryOver`` for the rules.
public enum ReloadedGlobals {
    /// The paths of the images loaded now; pass them to ``carry(loadedSince:in:reinitialize:)``
    /// after the `dlopen`.
    public static func loadedImages() -> Set<String> {
        Set(LoadedImages.current().map(\.path))
    }

    /// Carries the globals of every image loaded since `before` in `directory` over from the
    /// newest earlier image of the same module. Call it after `dlopen` and before any code of the
    /// new images runs. `reinitialize`: qualified names (`App.signingKey`) → why they must
    /// initialize anew (their declaration changed).
    public static func carry(loadedSince before: Set<String>, in directory: String, reinitialize: [String: String] = [:])
        -> GlobalsReport
    {
        let folder = directory.hasSuffix("/") ? directory : directory + "/"
        let loaded = LoadedImages.current()
        let images = loaded.filter { $0.path.hasPrefix(folder) }
        // A new deps stack loads packages and RwSDK anew: their types in the new generation are
        // other types than the ones the kept values have.
        let replaced = packagesLoadedAgain(
            added: loaded.filter { !before.contains($0.path) && !$0.path.hasPrefix(folder) },
            earlier: loaded.filter { before.contains($0.path) && !$0.path.hasPrefix(folder) })
        var report = GlobalsReport()
        for image in images where !before.contains(image.path) {
            let module = moduleName(of: image.path)
            guard let previous = images.last(where: { before.contains($0.path) && moduleName(of: $0.path) == module }) else { continue }
            report.merge(
                GlobalCarryOver.carry(
                    from: ImageGlobals.of(previous), to: ImageGlobals.of(image), reinitialize: reinitialize,
                    refuseAll: replaced ? "the packages were loaded anew (a new deps image)" : nil,
                    isReloaded: { address in images.contains { $0.contains(address) } }))
        }
        return report
    }

    /// The globals of the newest image of each module loaded from `directory`, sorted by name.
    public static func list(in directory: String) -> [GlobalEntry] {
        let folder = directory.hasSuffix("/") ? directory : directory + "/"
        var newest: [String: LoadedImages.Image] = [:]
        for image in LoadedImages.current() where image.path.hasPrefix(folder) {
            newest[moduleName(of: image.path)] = image
        }
        return newest.values.flatMap { image in
            ImageGlobals.of(image).variables.values.map {
                GlobalEntry(name: $0.name, typeName: $0.typeText, initialized: $0.isInitialized)
            }
        }
        .sorted { $0.name < $1.name }
    }

    /// Whether an image of `added` defines a module that an image of `earlier` defines too
    /// (its module descriptor, `$s<module>MXM`, for a module with a name of its own: the
    /// descriptors of the imported C declarations' `__C` module, `$sSoMXM`, are in every image
    /// that uses them). Only deps images (`libRwDeps-…`) are read.
    static func packagesLoadedAgain(added: [LoadedImages.Image], earlier: [LoadedImages.Image]) -> Bool {
        func modules(_ images: [LoadedImages.Image]) -> Set<String> {
            Set(
                images.filter { ($0.path.split(separator: "/").last ?? "").hasPrefix("libRwDeps-") }.flatMap { image in
                    ImageSymbols.symbols(inFileAt: image.path) { name in
                        // "$s<digits><module>MXM"
                        name.count > 6 && name[0] == 0x24 && name[1] == 0x73 && (0x31...0x39).contains(name[2])
                            && name[name.count - 3] == 0x4D && name[name.count - 2] == 0x58 && name[name.count - 1] == 0x4D
                    }.keys
                })
        }
        let new = modules(added)
        return !new.isEmpty && !new.isDisjoint(with: modules(earlier))
    }

    /// `App` for `…/libApp-12.so`.
    static func moduleName(of path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasPrefix("lib") { name.removeFirst(3) }
        if name.hasSuffix(".so") { name.removeLast(3) }
        if let dash = name.lastIndex(of: "-") { name = String(name[..<dash]) }
        return name
    }
}
