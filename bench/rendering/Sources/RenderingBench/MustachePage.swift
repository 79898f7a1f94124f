import MemberData
import Mustache

/// The page as a Mustache template, rendered from the members through swift-mustache's
/// reflection of Swift values, as its documentation shows; `{{…}}` escapes for HTML.
let membersTemplate = try! MustacheTemplate(string: """
    <!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>{{title}}</title></head><body><main>\
    <h1>{{title}}</h1><table class="members"><thead><tr><th>#</th><th>Name</th><th>Note</th></tr></thead><tbody>\
    {{#members}}<tr class="m-{{status}}"><td>{{id}}</td>\
    <td><a href="/m/{{id}}" title="{{name}}">{{name}}</a></td><td>{{note}}</td></tr>{{/members}}\
    </tbody></table></main></body></html>
    """)

/// What the template reads.
struct MembersContext {
    let title: String
    let members: [Member]
}

/// The page rendered by swift-mustache, as UTF-8 bytes.
func renderMustache(_ members: [Member]) -> [UInt8] {
    Array(membersTemplate.render(MembersContext(title: membersPageTitle, members: members)).utf8)
}
