import RwState
import Testing

@testable import RwDev

/// The globals part of a reload line.
@Suite struct GlobalsSummaryTests {
    @Test func nothingCarriedSaysNothing() {
        #expect(GlobalsSummary.line(GlobalsReport()) == "")
    }

    @Test func countsKeptAndNamesEachOtherResetWithWhy() {
        var report = GlobalsReport()
        report.kept = ["App.hits", "App.cache"]
        report.reset = [
            .init(name: "App.signingKey", reason: "initializer changed", losesState: false),
            .init(name: "App.Limiter.shared", reason: "Limiter: stored property added", losesState: true)
        ]
        #expect(
            GlobalsSummary.line(report)
                == " · globals: 2 kept; anew: signingKey: initializer changed; Limiter.shared: Limiter: stored property added")
    }

    /// Globals that hold code run anew on every reload by design: counted, the first few named in
    /// order, never one line each.
    @Test func globalsThatHoldCodeAreCountedAndTheFirstFewNamed() {
        var report = GlobalsReport()
        report.kept = ["App.hits"]
        report.reset = (1...8).reversed().map { .init(name: "App.handler\($0)", reason: "holds code (() -> ())", losesState: false, holdsCode: true) }
        report.reset.append(.init(name: "App.key", reason: "initializer changed", losesState: false))
        #expect(
            GlobalsSummary.line(report)
                == " · globals: 1 kept; 8 hold code, run anew (handler1, handler2, handler3, handler4, handler5, handler6, +2); "
                + "anew: key: initializer changed")
        report.reset = [.init(name: "App.app", reason: "holds code (…)", losesState: false, holdsCode: true)]
        #expect(GlobalsSummary.line(report) == " · globals: 1 kept; 1 holds code, run anew (app)")
    }
}
