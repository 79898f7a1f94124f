import MemberData
public import RwSDK

/// The page's rows and the JSON list's records, made once.
let rows = members()
let records = memberRecords()

/// The benchmark app: `GET /members`, the page; `GET /api/members`, the records as JSON.
public let app = defineApp {
    route("/members") { MembersPage(rows) }
    route("/api/members") { _ in MemberList(members: records) }
}
