import Testing

/// Instances kept in RwState across three real generations of an app module (see
/// ``GenerationsFixture``): adopted when their layout is the same, with the new generation's
/// code running on them; otherwise migrated or re-initialized with one warning naming the change.
@Suite(.timeLimit(.minutes(10))) struct InstanceAdoptionTests {
    let output: GenerationsFixture.Output

    init() async throws {
        output = try await GenerationsFixture.output.value.get()
    }

    /// The value each generation reported for `name`.
    private func values(_ name: String) -> [String?] {
        (1...3).map { output.value($0, name) }
    }

    @Test func actorKeepsItsIdentityAndStateAndRunsTheNewCode() {
        let ids = values("visits.id")
        #expect(ids[0] != nil && Set(ids).count == 1, "\(output.transcript)")
        #expect(values("visits.runs") == ["1", "2", "3"])
        #expect(values("visits.label") == ["visits code of gen 1", "visits code of gen 2", "visits code of gen 3"])
        // A method only generation 3 has runs on the instance generation 1 created.
        #expect(output.value(3, "visits.visitors") == "gen 1,gen 2,gen 3")
    }

    @Test func finalClassHoldingAMutexKeepsItsIdentityAndCount() {
        let ids = values("guarded.id")
        #expect(ids[0] != nil && Set(ids).count == 1, "\(output.transcript)")
        #expect(values("guarded.count") == ["1", "2", "3"])
        #expect(output.value(3, "guarded.label") == "guarded code of gen 3, created by gen 1")
    }

    /// A class without a superclass, not marked `final`: its methods are called through its
    /// method table, which keeps every slot when methods are added in an extension.
    @Test func nonFinalRootClassIsAdoptedWhenItsMethodTableOnlyGrows() {
        let ids = values("plain.id")
        #expect(ids[0] != nil && Set(ids).count == 1, "\(output.transcript)")
        #expect(values("plain") == ["1 plain code of gen 1", "2 plain code of gen 2", "3 plain code of gen 3"])
        #expect(output.value(3, "plain.twice") == "6")
    }

    /// Generation 1's tasks call the actor through its method table after generation 2 took it
    /// over; a method inserted before an existing one would send them to the wrong method, so
    /// the actor falls back instead (and is adopted again when the table only grows).
    @Test func actorWithAMethodInsertedBeforeOthersFallsBack() {
        #expect(values("shifted") == ["1", "1", "2"], "\(output.transcript)")
    }

    @Test func structNestingStructsKeepsItsValue() {
        #expect(values("outer") == ["1 10 7 1", "2 20 7 12", "3 30 7 123"], "\(output.transcript)")
        #expect(values("outer.label") == ["outer code of gen 1", "outer code of gen 2", "outer code of gen 3"])
    }

    @Test func genericTypesAreAdoptedAsTheirSpecialization() {
        #expect(values("tally") == ["1 gen 1", "2 gen 1,gen 2", "3 gen 1,gen 2,gen 3"], "\(output.transcript)")
        #expect(values("wrapper") == ["1 3", "2 4", "3 5"])
        let cells = values("cell.id")
        #expect(cells[0] != nil && Set(cells).count == 1)
        #expect(values("cell") == ["5", "10", "15"])
    }

    @Test func enumWithPayloadsKeepsItsCase() {
        #expect(
            values("phase") == [#"running(step: 1, note: "1")"#, #"running(step: 2, note: "12")"#, #"running(step: 3, note: "123")"#],
            "\(output.transcript)")
    }

    @Test func adoptedValuesCauseNoWarning() {
        let adoptedKeys = ["visits", "guarded", "outer", "tally", "wrapper", "cell", "phase", "plain"]
        let all = output.warnings.map(\.message)
        for key in adoptedKeys {
            #expect(!all.contains { $0.contains("key \"\(key)\"") }, "\(all)")
        }
    }

    @Test func eachLayoutChangeFallsBackWithOneWarningNamingIt() {
        let expected = [
            #"RwState: key "shifted": Shifted: methods inserted or moved before a() -> Swift.Int (add new methods after the existing ones or in an extension to keep the instance); re-initialized."#,
            #"RwState: key "audit": Audit: stored property auditTrail added; re-initialized."#,
            #"RwState: key "removal": Removal: stored property dropped removed; re-initialized."#,
            #"RwState: key "order": Order: properties reordered; re-initialized."#,
            #"RwState: key "measure": Measure: stored property n retyped from Int to Double; re-initialized."#,
            #"RwState: key "rooted": Rooted: class given a superclass (Root); re-initialized."#,
            #"RwState: key "profile": Profile: stored property age added; migrated through Codable."#,
            #"RwState: key "mode": Mode: case auto added; re-initialized."#,
            #"RwState: key "level": Level: case some payload retyped from (level: Int) to (level: Double); re-initialized."#,
            #"RwState: key "animal": Animal: holds an instance of its subclass Dog; class hierarchies are not adopted; re-initialized."#,
            #"RwState: key "holder": Holder: stored property box refers to an instance of app class Box; keep that object under its own key; re-initialized."#
        ]
        #expect(output.warnings(in: 1) == [])
        #expect(output.warnings(in: 2) == expected, "\(output.transcript)")
        // The re-initialized values start again; the migrated one keeps its contents.
        for key in ["audit", "removal", "order", "rooted", "holder"] {
            #expect(output.value(2, key) == "1", "\(key)")
        }
        #expect(output.value(2, "measure") == "1.0")
        #expect(output.value(2, "profile") == "12")
    }

    @Test func afterAFallbackTheNewLayoutIsAdoptedAgain() {
        #expect(values("audit") == ["1", "1", "2"])
        #expect(values("removal") == ["1", "1", "2"])
        #expect(values("order") == ["1", "1", "2"])
        #expect(values("measure") == ["1", "1.0", "2.0"])
        #expect(values("profile") == ["1", "12", "123"])
        #expect(values("mode") == ["fresh", "fresh", "kept"])
        #expect(values("level") == ["fresh", "fresh", "kept"])
    }

    /// `[Note]` is an array of an app struct: never adopted (the array's storage keeps the old
    /// element type), migrated through `Codable` on every reload, which is its expected path and
    /// says nothing.
    @Test func codableCollectionsOfAppStructsMigrateSilently() {
        #expect(values("notes") == ["1", "12", "123"], "\(output.transcript)")
        #expect(!output.warnings.contains { $0.message.contains("key \"notes\"") })
    }

    /// An actor holding an Array, a Dictionary, a Set, an Optional and an Array of Arrays of app
    /// structs is adopted with them: the same actor, its contents kept, mutated by each
    /// generation's code, without a warning.
    @Test func actorHoldingContainersOfAppStructsIsAdoptedWithItsContents() {
        let ids = values("shelf.id")
        #expect(ids[0] != nil && Set(ids).count == 1, "\(output.transcript)")
        #expect(
            values("shelf") == [
                "gen 1 gen 1=11 t1 0 [1]",
                "gen 1,gen 2 gen 1=21,gen 2=2 t1,t2 1 [1, 2]",
                "gen 1,gen 2,gen 3 gen 1=31,gen 2=2,gen 3=3 t1,t2,t3 2 [1, 2, 3]"
            ])
        #expect(!output.warnings.contains { $0.message.contains("key \"shelf\"") })
    }

    @Test func classHierarchiesAndNestedAppObjectsAreNeverAdopted() {
        #expect(
            output.warnings(in: 3) == [
                #"RwState: key "rooted": Rooted: class has a superclass (Root); re-initialized."#,
                #"RwState: key "animal": Animal: holds an instance of its subclass Dog; class hierarchies are not adopted; re-initialized."#,
                #"RwState: key "holder": Holder: stored property box refers to an instance of app class Box; keep that object under its own key; re-initialized."#
            ], "\(output.transcript)")
        #expect(output.value(3, "rooted") == "1")
        #expect(values("animal") == ["5", "5", "5"])
        #expect(output.value(3, "holder") == "1")
    }

    /// Four tasks of generation 1 hit the actor while generation 2 adopts it; four more of
    /// generation 2 join; generation 3 stops them all. Every hit is counted once.
    @Test func actorAdoptedUnderConcurrentCallsLosesNoCall() throws {
        #expect(output.value(1, "hammer.started") == "true", "\(output.transcript)")
        #expect(output.value(2, "hammer.continued") == "true")
        #expect(output.value(3, "hammer.tasks") == "8")
        let counted = try #require(output.value(3, "hammer.counted").flatMap(Int.init))
        #expect(counted > 8000)
        #expect(output.value(3, "hammer.hits") == String(counted))
        #expect(output.value(3, "hammer.id") == output.value(1, "visits.id"))
    }
}
