import Foundation
import Synchronization
import Testing

@testable import RwState

final class RunCounter: Sendable {
    let value = Atomic<Int>(0)
}

@Suite(.timeLimit(.minutes(10))) struct StateRegistryTests {
    @Test func initializerRunsOnceAndLaterCallsReturnTheStoredValue() {
        let registry = StateRegistry()
        var runs = 0
        let first = registry.define("answer") {
            runs += 1
            return 42
        }
        let second = registry.define("answer") {
            runs += 1
            return 7
        }
        #expect(first == 42)
        #expect(second == 42)
        #expect(runs == 1)
    }

    @Test func concurrentFirstCallsOnOneKeyRunTheInitializerOnce() async {
        let registry = StateRegistry()
        let runs = RunCounter()
        let values = await withTaskGroup(of: Int.self, returning: Set<Int>.self) { group in
            for index in 0..<200 {
                group.addTask {
                    registry.define("shared") {
                        runs.value.add(1, ordering: .relaxed)
                        return index
                    }
                }
            }
            return await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(runs.value.load(ordering: .relaxed) == 1)
        #expect(values.count == 1)
    }

    @Test func getAndSet() {
        let registry = StateRegistry()
        #expect(registry.get("missing", as: Int.self) == nil)
        registry.set("name", "first")
        #expect(registry.get("name", as: String.self) == "first")
        registry.set("name", "second")
        #expect(registry.get("name", as: String.self) == "second")
        #expect(registry.define("name") { "unused" } == "second")
    }

    @Test func concurrentUpdatesAreNotLost() async {
        let registry = StateRegistry()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<500 {
                group.addTask { registry.update("hits", initializer: { 0 }) { $0 += 1 } }
            }
        }
        #expect(registry.get("hits", as: Int.self) == 500)
    }

    // Two Codable types with the same shape stand for one type before and after a reload.
    struct CounterV1: Codable, Sendable { var count: Int }
    struct CounterV2: Codable, Sendable {
        var count: Int
        var label: String?
    }

    @Test func codableValueIsMigratedWhenItsTypeChanges() {
        let registry = StateRegistry()
        let warnings = Mutex<[String]>([])
        registry.onWarning { message in warnings.withLock { $0.append(message) } }
        registry.set("counter", CounterV1(count: 41))
        let migrated = registry.define("counter") { CounterV2(count: 0) }
        #expect(migrated.count == 41)
        #expect(registry.get("counter", as: CounterV2.self)?.count == 41)
        #expect(warnings.withLock { $0 }.isEmpty)
    }

    final class OpaqueV1: Sendable {}
    final class OpaqueV2: Sendable { let fresh = true }

    @Test func nonCodableValueIsReinitializedWithOneWarningNamingKeyAndTypes() {
        let registry = StateRegistry()
        let warnings = Mutex<[String]>([])
        registry.onWarning { message in warnings.withLock { $0.append(message) } }
        _ = registry.define("cache") { OpaqueV1() }
        let replaced = registry.define("cache") { OpaqueV2() }
        _ = registry.define("cache") { OpaqueV2() }
        #expect(replaced.fresh)
        let logged = warnings.withLock { $0 }
        #expect(logged.count == 1)
        #expect(
            logged.first?.hasPrefix(
                "RwState: key \"cache\" held a RwStateTests.StateRegistryTests.OpaqueV1, a different type than RwStateTests.StateRegistryTests.OpaqueV2")
                == true, "\(logged)")
        #expect(logged.first?.hasSuffix("; re-initialized.") == true)
    }

    @Test func incompatibleCodableValueIsReinitializedWithAWarning() {
        let registry = StateRegistry()
        let warnings = Mutex<[String]>([])
        registry.onWarning { message in warnings.withLock { $0.append(message) } }
        registry.set("counter", "not a counter")
        let value = registry.define("counter") { CounterV1(count: 5) }
        #expect(value.count == 5)
        #expect(warnings.withLock { $0.count } == 1)
    }

    @Test func entriesListKeysTypesAndDefiningGeneration() {
        let registry = StateRegistry()
        registry.currentGeneration = 3
        _ = registry.define("b") { 1 }
        registry.currentGeneration = 4
        registry.set("a", "x")
        registry.set("b", 2)
        let entries = registry.entries()
        #expect(entries.map(\.key) == ["a", "b"])
        #expect(entries.map(\.generation) == [4, 3])
        #expect(entries[0].typeName == "Swift.String")
        #expect(entries[1].typeName == "Swift.Int")
    }

    @Test func freeFunctionsUseTheSharedRegistry() {
        let key = "free-functions-\(UUID())"
        #expect(defineRwState(key) { 1 } == 1)
        setRwState(key, 2)
        #expect(getRwState(key, as: Int.self) == 2)
        #expect(StateRegistry.shared.get(key, as: Int.self) == 2)
        #expect(
            updateRwState(key, initializer: { 0 }) { value -> Int in
                value += 1
                return value
            } == 3)
    }
}

@Suite(.timeLimit(.minutes(10))) struct HeadersTests {
    @Test func lookupIsCaseInsensitiveAndOrderIsKept() {
        var headers: Headers = ["Content-Type": "text/html", "Set-Cookie": "a=1"]
        headers.add(name: "set-cookie", value: "b=2")
        #expect(headers["content-type"] == "text/html")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        headers["Set-Cookie"] = "c=3"
        #expect(headers.values(for: "set-cookie") == ["c=3"])
        headers["CONTENT-TYPE"] = nil
        #expect(headers["content-type"] == nil)
        #expect(headers.count == 1)
        #expect(!Headers.same("a-b", "a_b"))
        #expect(!Headers.same("[", "{"))
    }

    @Test func requestSplitsTargetIntoPathAndQuery() {
        let request = RwRequest(method: "get", target: "/search?q=swift&x=1")
        #expect(request.method == "GET")
        #expect(request.path == "/search")
        #expect(request.query == "q=swift&x=1")
        #expect(request.target == "/search?q=swift&x=1")
        #expect(RwRequest(method: "GET", target: "").path == "/")
    }
}
