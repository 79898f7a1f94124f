import MemberData
import Members
import RwSDK

/// The members page rendered by RwSDK into bytes, as a route renders it (the doctype, then the
/// page; bench/members serves the same `MembersPage`).
func renderRwSDK(_ members: [Member]) -> [UInt8] {
    var output = HTMLOutput(capacity: 96 * 1024)
    output.append(markup: "<!DOCTYPE html>")
    MembersPage(members).render(into: &output)
    return output.bytes
}
