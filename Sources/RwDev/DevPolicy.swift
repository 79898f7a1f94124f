import Foundation

/// What a dev session decides from what it knows: when a save reloads, when the deps image is
/// re-optimized (and whether SwiftPM compiles and plans again), and which globals initialize anew.
///
/// Pure functions of the session's state: ``DevSession`` gathers the inputs and carries out
/// the answers.
enum DevPolicy {
    /// A re-optimization of the deps image.
    struct Reoptimization: Sendable, Equatable {
        /// Why, in a few words, for the terminal.
        let reason: String
        /// The dependency targets to build.
        let targets: [String]
        /// Whether SwiftPM compiles them (`false`: they were compiled in the background and
        /// nothing they are built from changed since, so linking is enough).
        let compiling: Bool
        /// Whether SwiftPM's build plan must be read anew (Package.swift or a path
        /// dependency's sources changed).
        let replanning: Bool
    }

    /// The trigger of a reload that takes `files` (saved since the last one, coalesced): their
    /// names; `nil` when there is none, so nothing reloads.
    static func reloadTrigger(files: [String]) -> String? {
        guard !files.isEmpty else { return nil }
        return files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
    }

    /// Whether a changed Package.swift changed what the deps image is built from (its
    /// dependencies or products); a change of local targets alone needs no SwiftPM run.
    static func dependenciesChanged(from previous: DevPackage, to current: DevPackage) -> Bool {
        current.dependencySignature != previous.dependencySignature
    }

    /// Whether, and how, the deps image `current` (holding `modules`) is re-optimized for a
    /// reload: when the app now imports a module it lacks (`roots` are the modules it must
    /// hold), when Package.swift changed the dependencies, or when `dependencyFiles` of a package
    /// the app depends on by path were saved; `nil` when it stays.
    ///
    /// A newly imported module whose target was compiled in the background (`precompiled`) is
    /// linked without compiling, unless sources changed too.
    static func reoptimization(
        roots: [String], modules: Set<String>, dependenciesChanged: Bool, dependencyFiles: [String],
        precompiled: Set<String>, dependencies: DependencyMap
    ) -> Reoptimization? {
        let missing = roots.filter { !modules.contains($0) }
        let reason: String
        if !missing.isEmpty {
            reason = "new dependency \(missing.joined(separator: ", "))"
        } else if dependenciesChanged {
            reason = "Package.swift changed"
        } else if let file = dependencyFiles.first {
            reason = "\(URL(fileURLWithPath: file).lastPathComponent) of a package the app depends on by path changed"
        } else {
            return nil
        }
        let changedSources = dependenciesChanged || !dependencyFiles.isEmpty
        let targets = changedSources ? dependencies.targets(for: roots) : dependencies.targets(for: missing)
        return Reoptimization(
            reason: reason, targets: targets, compiling: changedSources || !Set(targets).isSubset(of: precompiled),
            replanning: changedSources)
    }

    /// The globals that initialize anew at a load: those whose declaration changed since the
    /// serving generation's scan (`earlier`; `nil`: none loaded yet, nothing to keep), in the
    /// scan before the build or the one after it (the compiler read the sources between the two),
    /// with the reason found before the build.
    static func reinitialize(
        before: GlobalDeclarations, after: GlobalDeclarations, earlier: GlobalDeclarations?
    ) -> [String: String] {
        guard let earlier else { return [:] }
        return before.changes(since: earlier).merging(after.changes(since: earlier)) { before, _ in before }
    }
}
