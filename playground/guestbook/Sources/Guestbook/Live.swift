import RwSDK

/// The guestbook's channel: every open page joins ``topic`` and hears each new post (with the
/// count after it) and who is typing. Under `rw dev` its socket stays open across saves; with
/// PostgreSQL, a post on one instance reaches the pages connected to every instance.
enum Live {
    /// The one topic every page joins.
    static let topic = "guestbook"

    /// Tells every open page about `post`, with the count of messages after it.
    static func announce(_ post: Message, count: Int) throws {
        try broadcast(topic, LiveUpdate(post: post, count: count))
    }
}

/// What the channel sends to the pages: a new post with the count after it, or a name typing.
struct LiveUpdate: Codable, Sendable {
    var post: Message?
    var count: Int?
    var typing: String?
}

/// What a page sends on the channel: its visitor is typing a message.
struct Typing: Codable, Sendable {}

/// The channel: anyone may join (the guestbook is public); a signed-in visitor's `Typing` is
/// passed on to every page as their name.
let liveChannel = channel(
    Live.topic, receiving: Typing.self,
    message: { event, _ in
        guard let name = requestInfo.session["name"] else { return }
        try broadcast(event.topic, LiveUpdate(typing: name))
    })
