import Foundation

/// An HTTP/1.1 response read off a raw connection.
struct RawResponse: Sendable {
    /// The status code.
    let status: Int
    /// Header fields in order, names as sent.
    let headers: [(name: String, value: String)]
    /// The body, de-chunked.
    let body: [UInt8]
    /// The sizes of the body's chunks in the chunked coding, in order (without the last, empty
    /// one); empty for a body with a `Content-Length`.
    var chunkSizes: [Int] = []

    /// The body as text (invalid UTF-8 repaired).
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The first value of the header `name`, compared case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of the header `name`, in the order the fields arrived.
    func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// Removes one whole response from the front of `buffer` and returns it; `nil` (leaving the
    /// buffer alone) while the response is incomplete. A response to HEAD (`toHead`), and a 1xx,
    /// 204 or 304 response, has no body, whatever its headers say (RFC 9112 §6.3): a server that
    /// sent one anyway leaves bytes that spoil the next response on the connection.
    static func parse(_ buffer: inout [UInt8], toHead: Bool = false) -> RawResponse? {
        guard let headEnd = find([13, 10, 13, 10], in: buffer, from: 0) else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return nil }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        func value(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        let bodyStart = headEnd + 4
        if toHead || (100..<200).contains(status) || status == 204 || status == 304 {
            buffer.removeFirst(bodyStart)
            return RawResponse(status: status, headers: headers, body: [])
        }
        if let length = value("content-length").flatMap({ Int($0) }) {
            guard buffer.count >= bodyStart + length else { return nil }
            let body = Array(buffer[bodyStart..<bodyStart + length])
            buffer.removeFirst(bodyStart + length)
            return RawResponse(status: status, headers: headers, body: body)
        }
        if value("transfer-encoding")?.lowercased() == "chunked" {
            var body: [UInt8] = []
            var sizes: [Int] = []
            var index = bodyStart
            while true {
                guard let lineEnd = find([13, 10], in: buffer, from: index) else { return nil }
                let sizeText = String(decoding: buffer[index..<lineEnd], as: UTF8.self)
                guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { return nil }
                index = lineEnd + 2
                if size == 0 {
                    guard let trailerEnd = find([13, 10], in: buffer, from: index) else { return nil }
                    buffer.removeFirst(trailerEnd + 2)
                    return RawResponse(status: status, headers: headers, body: body, chunkSizes: sizes)
                }
                guard buffer.count >= index + size + 2 else { return nil }
                sizes.append(size)
                body.append(contentsOf: buffer[index..<index + size])
                index += size + 2
            }
        }
        // No length: 1xx/204/304 have no body; otherwise the body ends at close, which a raw
        // test never relies on.
        buffer.removeFirst(bodyStart)
        return RawResponse(status: status, headers: headers, body: [])
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
        }
        return nil
    }
}
