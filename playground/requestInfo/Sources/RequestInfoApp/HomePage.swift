import RwSDK

/// The home page: what `requestInfo` says about this request, and the components below it.
func HomePage() -> some HTML {
    main {
        h1 { "requestInfo" }
        table {
            tr { th { "path" }; td(.id("path")) { requestInfo.request.path } }
            tr { th { "request id (middleware ctx)" }; td(.id("request-id")) { "\(requestInfo.ctx["requestID"] ?? "none")" } }
            tr { th { "state identity" }; td(.id("state-identity")) { stateIdentity } }
            tr { th { "requestInfo store defined by generation" }; td(.id("store-generation")) { "\(requestInfoStoreGeneration() ?? 0)" } }
        }
        // rw-playground: begin client
        // Picker(PickerProps(groups: letterGroups()))
        // rw-playground: end client
        // rw-playground: begin action
        // form(action: magnitude, .id("magnitude-form"), .data("rw-output", "magnitude-result")) {
        //     input(.name("re"), .value("3"))
        //     input(.name("im"), .value("4"))
        //     button(.type("submit")) { "|re + im·i|" }
        // }
        // p(.id("magnitude-result")) { "" }
        // rw-playground: end action
        // rw-playground: begin plain
        // HeaderNames()
        // rw-playground: end plain
    }
}
