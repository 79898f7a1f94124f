import RwState

/// How a reload's ``GlobalsReport`` reads in the terminal.
enum GlobalsSummary {
    /// The part of the reload line about globals: how many kept their value, the ones that run
    /// anew on every reload because they hold code (the first few named), and each other one
    /// initialized anew with why
    /// (`· globals: 4 kept; 2 hold code, run anew (app, format); anew: signingKey: initializer changed`);
    /// empty when the reload carried none.
    static func line(_ report: GlobalsReport) -> String {
        guard !report.isEmpty else { return "" }
        var text = " · globals: \(report.kept.count) kept"
        let code = report.reset.filter(\.holdsCode).map { shortName($0.name) }.sorted()
        if !code.isEmpty {
            let named = code.prefix(namedCodeHolders).joined(separator: ", ")
            let more = code.count > namedCodeHolders ? ", +\(code.count - namedCodeHolders)" : ""
            text += "; \(code.count) hold\(code.count == 1 ? "s" : "") code, run anew (\(named)\(more))"
        }
        let others = report.reset.filter { !$0.holdsCode }
        if !others.isEmpty {
            text += "; anew: " + others.map { "\(shortName($0.name)): \($0.reason)" }.joined(separator: "; ")
        }
        return text
    }

    /// How many globals that hold code the line names: they run anew on every reload by design,
    /// so a long list would only hide the resets that matter.
    static let namedCodeHolders = 6

    /// The warning for a reset that lost a value which may have been written.
    static func warning(_ reset: GlobalsReport.Reset) -> String {
        "⚠ \(reset.name) initialized anew, its value is lost: \(reset.reason) (keep it with defineRwState to migrate it)"
    }

    /// `signingKey` for `App.signingKey`, `Cache.shared` for `App.Cache.shared`.
    static func shortName(_ name: String) -> String {
        guard let dot = name.firstIndex(of: ".") else { return name }
        return String(name[name.index(after: dot)...])
    }
}
