/// The members page written by hand into a byte buffer: fixed markup appended as bytes, every
/// dynamic part escaped byte by byte. The fastest this page is produced in plain Swift.
public func membersPageByHand(_ members: [Member]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(96 * 1024)
    out.append(contentsOf: #"<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>"#.utf8)
    escape(membersPageTitle, into: &out)
    out.append(contentsOf: "</title></head><body><main><h1>".utf8)
    escape(membersPageTitle, into: &out)
    out.append(contentsOf: #"</h1><table class="members"><thead><tr><th>#</th><th>Name</th><th>Note</th></tr></thead><tbody>"#.utf8)
    for member in members {
        let id = String(member.id)
        out.append(contentsOf: #"<tr class="m-"#.utf8)
        escape(member.status, into: &out)
        out.append(contentsOf: #""><td>"#.utf8)
        out.append(contentsOf: id.utf8)
        out.append(contentsOf: #"</td><td><a href="/m/"#.utf8)
        out.append(contentsOf: id.utf8)
        out.append(contentsOf: #"" title=""#.utf8)
        escape(member.name, into: &out)
        out.append(contentsOf: #"">"#.utf8)
        escape(member.name, into: &out, quotes: false)
        out.append(contentsOf: "</a></td><td>".utf8)
        escape(member.note, into: &out, quotes: false)
        out.append(contentsOf: "</td></tr>".utf8)
    }
    out.append(contentsOf: "</tbody></table></main></body></html>".utf8)
    return out
}

/// Appends `text` with `&`, `<` and `>` escaped, and with `quotes` also `"` and `'` (for quoted
/// attribute values): what RwSDK escapes, so both pages have the same bytes.
public func escape(_ text: String, into out: inout [UInt8], quotes: Bool = true) {
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
        case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
        case UInt8(ascii: "\"") where quotes: out.append(contentsOf: "&quot;".utf8)
        case UInt8(ascii: "'") where quotes: out.append(contentsOf: "&#39;".utf8)
        default: out.append(byte)
        }
    }
}
