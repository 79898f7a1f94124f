/// A channel's topic pattern: an exact topic (`"lobby"`) or a prefix ending in `*`
/// (`"room:*"`), which matches every topic that starts with the prefix and has something after
/// it; the rest is the event's ``ChannelEvent/subtopic``.
struct TopicPattern: Sendable, Equatable {
    let prefix: String
    let isWildcard: Bool

    init(_ pattern: String) {
        precondition(!pattern.isEmpty, "a channel's topic pattern is empty")
        let stars = pattern.filter { $0 == "*" }.count
        precondition(stars == 0 || (stars == 1 && pattern.hasSuffix("*")), "a channel's topic pattern may only end in one \"*\": \"\(pattern)\"")
        isWildcard = pattern.hasSuffix("*")
        prefix = isWildcard ? String(pattern.dropLast()) : pattern
    }

    /// What the `*` matched (`""` for an exact pattern), or `nil` when `topic` does not match.
    func match(_ topic: String) -> String? {
        guard isWildcard else { return topic == prefix ? "" : nil }
        guard topic.hasPrefix(prefix), topic.utf8.count > prefix.utf8.count else { return nil }
        return String(topic.dropFirst(prefix.count))
    }
}
