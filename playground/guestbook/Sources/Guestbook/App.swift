import RwData
import RwSDK

/// The guestbook: sign in with a name, post messages, page through them.
public let app = defineApp(sessions: SessionOptions(store: DatabaseSessionStore(db))) {
    render(Document) {
        route("/") { info in try await HomePage(page: Int(info.request.query["page"] ?? "1") ?? 1) }
    }
    route("/count.json") { _ in
        RwResponse(status: 200, headers: ["Content-Type": "application/json"], text: "{\"count\":\(try await Messages.count())}")
    }
    signIn
    signOut
    postMessage
}
