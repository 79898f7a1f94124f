import Testing

@testable import RwSDK

@HTMLBuilder
func SiteLayout(_ content: any HTML) -> Fragment {
    header { "site" }
    main { content }
}

@HTMLBuilder
func AdminLayout(_ content: any HTML) -> Fragment {
    nav { "admin" }
    section { content }
}

@Suite(.timeLimit(.minutes(5))) struct LayoutTests {
    let app = defineApp {
        render(TestDocument) {
            layout(SiteLayout) {
                route("/") { p { "home" } }
                layout(AdminLayout) {
                    route("/admin") { p { "panel" } }
                }
                route("/raw") { RwResponse(text: "not wrapped") }
            }
            route("/bare") { p { "bare" } }
        }
    }

    @Test func layoutsNestInsideTheDocument() async {
        #expect(
            await send(app, "GET", "/").text
                == "<!DOCTYPE html><html><head><title>Test</title></head><body><header>site</header><main><p>home</p></main></body></html>")
        #expect(
            await send(app, "GET", "/admin").text
                == "<!DOCTYPE html><html><head><title>Test</title></head><body><header>site</header><main><nav>admin</nav><section><p>panel</p></section></main></body></html>"
        )
    }

    @Test func responsesAndRoutesOutsideAreNotWrapped() async {
        #expect(await send(app, "GET", "/raw").text == "not wrapped")
        #expect(
            await send(app, "GET", "/bare").text
                == "<!DOCTYPE html><html><head><title>Test</title></head><body><p>bare</p></body></html>")
    }
}
