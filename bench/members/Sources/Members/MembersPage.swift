public import MemberData
public import RwSDK

/// The members page with RwSDK's HTML builder, as an app writes it: a 500-row table whose text
/// and attributes come from users.
public func MembersPage(_ members: [Member]) -> some HTML {
    html(.lang("en")) {
        head {
            meta(.charset("UTF-8"))
            title(membersPageTitle)
        }
        body {
            main {
                h1 { membersPageTitle }
                table(.class("members")) {
                    Element("thead") {
                        tr {
                            th { "#" }
                            th { "Name" }
                            th { "Note" }
                        }
                    }
                    Element("tbody") {
                        for member in members {
                            tr(.class("m-\(member.status)")) {
                                td { String(member.id) }
                                td {
                                    a(.href("/m/\(member.id)"), .attr("title", member.name)) { member.name }
                                }
                                td { member.note }
                            }
                        }
                    }
                }
            }
        }
    }
}
