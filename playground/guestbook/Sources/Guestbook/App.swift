import RwData
import RwSDK

/// The guestbook: sign in with a name, post messages, page through them.
public let app = defineApp(sessions: SessionOptions(store: DatabaseSessionStore(db))) {
    render(Document) {
        route("/") { info in try await HomePage(page: Int(info.request.query["page"] ?? "1") ?? 1) }
    }
    // An Encodable value is answered as JSON: {"count":12}.
    get("/count.json") { _ in ["count": try await Messages.count()] }
    signIn
    signOut
    liveChannel
    postMessage
}
