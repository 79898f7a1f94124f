import Testing

/// Globals and static stored properties of three real generations of an app module (see
/// ``GenerationsFixture``), carried over by `ReloadedGlobals` as the dev runner does at each load.
@Suite struct ReloadedGlobalsTests {
    let output: GenerationsFixture.Output

    init() async throws {
        output = try await GenerationsFixture.output.value.get()
    }

    private func values(_ name: String) -> [String?] {
        (1...3).map { output.value($0, name) }
    }

    @Test func mutableGlobalsKeepTheirCurrentValue() {
        #expect(values("global.count") == ["1", "2", "3"], "\(output.transcript)")
        #expect(values("global.names") == ["1", "1,2", "1,2,3"])
    }

    @Test func globalActorAndStaticCacheKeepTheirIdentityAndState() {
        #expect(values("global.actor") == ["1", "2", "3"], "\(output.transcript)")
        let actors = values("global.actor.id")
        #expect(actors[0] != nil && Set(actors).count == 1)
        let caches = values("global.cache")
        #expect(caches.map { $0?.split(separator: " ").first.map(String.init) } == ["1", "2", "3"])
        #expect(Set(caches.map { $0?.split(separator: " ").last }).count == 1)
        let statics = values("global.static")
        #expect(statics.map { $0?.split(separator: " ").first.map(String.init) } == ["1", "2", "3"])
        #expect(Set(statics.map { $0?.split(separator: " ").last }).count == 1)
    }

    @Test func closureGlobalRunsTheNewCode() {
        #expect(values("global.closure") == ["closure of gen 1", "closure of gen 2", "closure of gen 3"], "\(output.transcript)")
        #expect(output.value(2, "globals.reset")?.contains("App.globalClosure: holds code") == true)
    }

    @Test func changedDeclarationIsInitializedAnewAloneAndNamed() {
        // Generation 3 is told that signingKey's initializer changed.
        #expect(values("global.signingKey") == ["1", "2", "1"], "\(output.transcript)")
        #expect(output.value(3, "globals.reset")?.contains("App.signingKey: initializer changed") == true)
        #expect(output.value(3, "globals.kept")?.contains("App.signingKey") == false)
        #expect(output.value(3, "globals.kept")?.contains("App.globalCache") == true)
    }

    @Test func retypedGlobalStartsAnewAndIsReported() {
        #expect(values("global.retyped") == ["1", "1.5", "1.5"], "\(output.transcript)")
        #expect(output.value(2, "globals.reset")?.contains("App.retyped: type changed") == true)
    }

    @Test func globalNeverInitializedStaysLazyAndInitializesOnceAfterwards() {
        #expect(output.value(2, "globals.lazy")?.contains("App.lazyGlobal") == true, "\(output.transcript)")
        #expect(output.value(3, "global.lazy") == "42 1")
    }

    @Test func appStructKeepsItsContentsUntilItsLayoutChanges() {
        #expect(values("global.point") == ["1", "2", "3"], "\(output.transcript)")
        // Settings gained a stored property in generation 2 (and is not Codable): reset, a warning.
        #expect(values("global.settings") == ["1", "1", "2"])
        #expect(output.value(2, "globals.reset")?.contains("App.settings: Settings: stored property b added (lost)") == true)
    }

    /// An Array, a Dictionary and an Optional of an app struct whose layout does not change keep
    /// their contents, as they are.
    @Test func containersOfAppStructsKeepTheirContents() {
        #expect(values("global.points") == ["1", "2", "3"], "\(output.transcript)")
        #expect(values("global.pointsByName") == ["p1", "p1,p2", "p1,p2,p3"])
        #expect(values("global.maybePoint") == ["1", "2", "3"], "\(output.transcript)")
        #expect(output.value(3, "globals.kept")?.contains("App.pointsByName") == true)
    }

    @Test func valuesThatCannotBeCarriedStartAnewAndSayWhy() {
        // An array of app objects: they would keep the earlier generation's class.
        #expect(values("global.boxes") == ["1", "1", "1"], "\(output.transcript)")
        #expect(output.value(2, "globals.reset")?.contains("App.boxes: holds Box, a type of the app, inside another type (lost)") == true)
        // An existential may hold code: never carried.
        #expect(values("global.anything") == ["1", "1", "1"])
        #expect(output.value(2, "globals.reset")?.contains("App.anything: ") == true)
        // A non-copyable value (a lock) cannot be in two generations at once.
        #expect(values("global.lock") == ["1", "1", "1"])
        #expect(output.value(2, "globals.reset")?.contains("App.globalLock: ") == true)
    }
}
