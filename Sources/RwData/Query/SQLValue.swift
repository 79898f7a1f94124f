public import Foundation

/// A value as it travels to and from the database.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A 64-bit integer (booleans travel as 0 and 1).
    case integer(Int64)
    /// A double.
    case real(Double)
    /// Text.
    case text(String)
    /// Bytes.
    case blob([UInt8])
}

/// A Swift value that can be bound to a statement (see ``SQL``) or read from a ``Row``.
public protocol SQLBindable: Sendable {
    /// The value as bound.
    var sqlValue: SQLValue { get }
    /// The Swift value read from `value`, or `nil` when `value` is not of this type.
    init?(sqlValue value: SQLValue)
}

extension Int: SQLBindable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue value: SQLValue) {
        guard case .integer(let i) = value, let v = Int(exactly: i) else { return nil }
        self = v
    }
}

extension Int64: SQLBindable {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue value: SQLValue) {
        guard case .integer(let i) = value else { return nil }
        self = i
    }
}

extension Double: SQLBindable {
    public var sqlValue: SQLValue { .real(self) }
    public init?(sqlValue value: SQLValue) {
        switch value {
        case .real(let d): self = d
        case .integer(let i): self = Double(i)
        default: return nil
        }
    }
}

extension String: SQLBindable {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue value: SQLValue) {
        guard case .text(let s) = value else { return nil }
        self = s
    }
}

extension Bool: SQLBindable {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init?(sqlValue value: SQLValue) {
        guard case .integer(let i) = value, i == 0 || i == 1 else { return nil }
        self = i == 1
    }
}

extension Array: SQLBindable where Element == UInt8 {
    public var sqlValue: SQLValue { .blob(self) }
    public init?(sqlValue value: SQLValue) {
        guard case .blob(let b) = value else { return nil }
        self = b
    }
}

/// Dates travel as whole milliseconds since 1970 (an integer column on both databases).
extension Date: SQLBindable {
    public var sqlValue: SQLValue { .integer(Int64((timeIntervalSince1970 * 1000).rounded())) }
    public init?(sqlValue value: SQLValue) {
        guard case .integer(let ms) = value else { return nil }
        self = Date(timeIntervalSince1970: Double(ms) / 1000)
    }
}
