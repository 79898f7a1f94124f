import RwData
import RwSDK

/// The HTML document every page is rendered in.
@HTMLBuilder
func Document(_ content: any HTML) -> Fragment {
    html(.lang("en")) {
        head {
            meta(.charset("utf-8"))
            title("Guestbook · RwSDK")
            clientRuntimeScript()
        }
        body { content }
    }
}

/// The home page: sign-in or post form, the live count, and one page of messages.
func HomePage(page: Int) async throws -> some HTML {
    let page = max(page, 1)
    // A lost or unreachable database throws a DatabaseError the framework answers with a 503 page.
    let messages = try await Messages.page(page)
    let count = try await Messages.count()
    let name = requestInfo.session["name"]
    return main {
        h1 { "Guestbook" }
        LiveCount(LiveCountProps(count: count))
        if let name {
            p(.class("signed-in")) { "Signed in as \(name)" }
            form(action: postMessage, .id("post"), .data("rw-output", "post-result")) {
                input(.name("body"), .attr("placeholder", "Your message"))
                button(.type("submit")) { "Post" }
            }
            p(.id("post-result")) { "" }
            form(action: signOut) { button(.type("submit")) { "Sign out" } }
        } else {
            form(action: signIn, .id("sign-in")) {
                input(.name("name"), .attr("placeholder", "Your name"))
                button(.type("submit")) { "Sign in" }
            }
        }
        ul(.class("messages")) {
            for message in messages {
                li(.data("id", String(message.id))) {
                    span(.class("author")) { message.author }
                    ": "
                    span(.class("body")) { message.body }
                }
            }
        }
        nav {
            if page > 1 { a(.href("/?page=\(page - 1)"), .class("newer")) { "Newer" } }
            if page * Messages.pageSize < count { a(.href("/?page=\(page + 1)"), .class("older")) { "Older" } }
        }
    }
}

/// The live count's props.
struct LiveCountProps: Codable, Sendable {
    let count: Int
}

/// A client component: the number of messages. Its module, public/client/live-count.js, keeps it
/// current from the guestbook's channel (``Live``), adds new posts to the first page's list and
/// shows who is typing.
let LiveCount = clientComponent("LiveCount", module: "/client/live-count.js") { (props: LiveCountProps) in
    p(.class("live-count")) { "\(props.count) messages" }
}
