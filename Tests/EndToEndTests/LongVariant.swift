import Foundation
import Testing

extension Tag {
    /// A long variant of a soak: hundreds of reloads or dozens of saves, minutes each.
    @Tag static var long: Self
}

/// Selection of the long variants. SwiftPM 6.3's `swift test --filter` does not select by tag
/// yet, so a long variant runs only when `RW_LONG_TESTS=1` is set, and is skipped with that reason
/// otherwise; `--filter` then picks which ones.
enum LongVariant {
    /// Whether `RW_LONG_TESTS=1` asked for the long variants.
    static let requested = ProcessInfo.processInfo.environment["RW_LONG_TESTS"] == "1"
}

extension Trait where Self == ConditionTrait {
    /// Marks a long variant: it runs only with `RW_LONG_TESTS=1` (give it `.tags(.long)` too).
    static var longVariant: Self {
        .enabled(if: LongVariant.requested, "a long variant: set RW_LONG_TESTS=1 to run it")
    }
}
