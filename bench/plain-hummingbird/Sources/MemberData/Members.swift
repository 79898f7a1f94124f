/// One row of the members page: a member as users typed it, so every text and attribute needs
/// escaping.
public struct Member: Sendable {
    public let id: Int
    public let status: String
    public let name: String
    public let note: String
}

/// The page's members (500 by default), the same every run. Names (also in an attribute) and
/// notes carry `<`, `>`, `&`, both quotes and non-ASCII letters.
public func members(count: Int = 500) -> [Member] {
    let names = ["Ann \"Q\" Lee", "Bob <b>", "Chloé O'Neil", "Dara & Sons", "Émile > Zola"]
    let notes = ["<i>hi</i> & \"q\"", "5 > 3", "café 'x'", "plain", "a&b"]
    let statuses = ["on", "away", "off"]
    return (0..<count).map { index in
        Member(
            id: index + 1,
            status: statuses[index % statuses.count],
            name: names[index % names.count] + " \(index)",
            note: notes[(index * 7) % notes.count]
        )
    }
}

/// The page's title and heading.
public let membersPageTitle = "Members & guests"

/// One record of the JSON list: what an API answers about a member.
public struct MemberRecord: Codable, Sendable, Equatable {
    public let id: Int
    public let name: String
    public let email: String
    public let active: Bool
    public let score: Double
    public let tags: [String]
}

/// The JSON list's records (50 by default), the same every run.
public func memberRecords(count: Int = 50) -> [MemberRecord] {
    members(count: count).map { member in
        MemberRecord(
            id: member.id, name: member.name, email: "member\(member.id)@example.com", active: member.id % 3 != 0,
            score: Double(member.id) * 1.5, tags: [member.status, "group-\(member.id % 4)"])
    }
}

/// The list the JSON route answers: `{"members": [...]}`.
public struct MemberList: Codable, Sendable, Equatable {
    public let members: [MemberRecord]
    public init(members: [MemberRecord]) { self.members = members }
}
