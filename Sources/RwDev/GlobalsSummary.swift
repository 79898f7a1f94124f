import RwState

/// How a reload's ``GlobalsReport`` reads in the terminal.
enum GlobalsSummary {
    /// The part of the reload line about globals: how many kept their value, and each one
    /// initialized anew with why (`· globals: 4 kept; anew: signingKey: initializer changed`);
    /// empty when the reload carried none.
    static func line(_ report: GlobalsReport) -> String {
        guard !report.isEmpty else { return "" }
        var text = " · globals: \(report.kept.count) kept"
        if !report.reset.isEmpty {
            text += "; anew: " + report.reset.map { "\(shortName($0.name)): \($0.reason)" }.joined(separator: "; ")
        }
        return text
    }

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
