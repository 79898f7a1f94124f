import Foundation

extension RwRequest {
    /// The cookies the request carries (every `Cookie` field), by name, values percent-decoded as
    /// ``Cookie`` encodes them. When a name repeats, the first value wins (browsers send the
    /// cookie with the longest path first).
    public var cookies: [String: String] {
        var cookies: [String: String] = [:]
        for field in headers.values(for: "Cookie") {
            for pair in field.split(separator: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, cookies[name] == nil else { continue }
                var value = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                cookies[name] = value.utf8.contains(UInt8(ascii: "%")) ? (value.removingPercentEncoding ?? value) : value
            }
        }
        return cookies
    }
}
