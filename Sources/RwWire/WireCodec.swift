import Foundation
public import RwState

/// Payload encodings of the front ↔ runner protocol.
///
/// Requests and responses: a big-endian `UInt32` head length, the head as JSON
/// (``RequestHead``, ``ResponseHead``), then the raw body. Every other message is JSON.
public enum WireCodec {
    /// Encodes a request.
    public static func encode(_ request: RwRequest) -> [UInt8] {
        join(RequestHead(request), request.body)
    }

    /// Decodes a request; throws ``WireError/malformed(_:)``.
    public static func decodeRequest(_ bytes: [UInt8]) throws(WireError) -> RwRequest {
        let (head, body) = try split(RequestHead.self, bytes)
        return RwRequest(method: head.method, target: head.target, headers: Headers(head.headers), body: body)
    }

    /// Encodes a response.
    public static func encode(_ response: RwResponse) -> [UInt8] {
        join(ResponseHead(response), response.body)
    }

    /// Decodes a response; throws ``WireError/malformed(_:)``.
    public static func decodeResponse(_ bytes: [UInt8]) throws(WireError) -> RwResponse {
        let (head, body) = try split(ResponseHead.self, bytes)
        return RwResponse(status: head.status, headers: Headers(head.headers), body: body)
    }

    /// `value` as JSON. The protocol's messages always encode.
    public static func json<T: Encodable>(_ value: T) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(value))
        } catch {
            preconditionFailure("\(T.self) did not encode as JSON: \(error)")
        }
    }

    /// Decodes JSON `bytes` as a `T`; throws ``WireError/malformed(_:)``.
    public static func decodeJSON<T: Decodable>(_ type: T.Type, _ bytes: some Collection<UInt8>) throws(WireError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw .malformed("not a \(T.self): \(error)")
        }
    }

    private static func join<Head: Encodable>(_ head: Head, _ body: [UInt8]) -> [UInt8] {
        let json = json(head)
        var bytes = [UInt8]()
        bytes.reserveCapacity(4 + json.count + body.count)
        appendUInt32(UInt32(json.count), to: &bytes)
        bytes += json
        bytes += body
        return bytes
    }

    private static func split<Head: Decodable>(_ type: Head.Type, _ bytes: [UInt8]) throws(WireError) -> (Head, [UInt8]) {
        guard bytes.count >= 4 else { throw .malformed("payload of \(bytes.count) bytes has no head length") }
        let length = Int(readUInt32(bytes, at: 0))
        guard length <= bytes.count - 4 else { throw .malformed("head of \(length) bytes in a payload of \(bytes.count)") }
        let head = try decodeJSON(type, bytes[4..<(4 + length)])
        return (head, Array(bytes[(4 + length)...]))
    }

    /// Appends `value` big-endian.
    static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// The big-endian `UInt32` at `offset`.
    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
