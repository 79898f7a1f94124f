import MemberData
import Plot

/// The page with Plot's node DSL. Plot escapes text but writes attribute values as they are, so
/// values from users go through `attributeEscaped` first, as an app using Plot has to do.
func plotPage(_ members: [Member]) -> Plot.HTML {
    Plot.HTML(
        .lang(.english),
        .head(.meta(.charset(.utf8)), .element(named: "title", text: membersPageTitle)),
        .body(
            .main(
                .h1(.text(membersPageTitle)),
                .table(
                    .class("members"),
                    .thead(.tr(.th(.text("#")), .th(.text("Name")), .th(.text("Note")))),
                    .tbody(
                        .forEach(members) { member in
                            .tr(
                                .class("m-\(attributeEscaped(member.status))"),
                                .td(.text(String(member.id))),
                                .td(
                                    .a(
                                        .href("/m/\(member.id)"),
                                        .title(attributeEscaped(member.name)),
                                        .text(member.name)
                                    )),
                                .td(.text(member.note))
                            )
                        }
                    )
                )
            )
        )
    )
}

/// `value` safe inside a double-quoted attribute.
func attributeEscaped(_ value: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(value.utf8.count + 16)
    for character in value {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.append(character)
        }
    }
    return escaped
}

/// The page rendered by Plot, as UTF-8 bytes.
func renderPlot(_ members: [Member]) -> [UInt8] {
    Array(plotPage(members).render().utf8)
}
