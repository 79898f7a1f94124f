import Foundation
public import RwState

/// Payload encodings of the front ↔ runner protocol.
///
/// Requests and responses: the head in binary (``RequestHead``, ``ResponseHead``, written by
/// ``PayloadWriter``), then the raw body to the end of the payload; they are on the path of every
/// request, so they cost no JSON. Every other message is JSON.
public enum WireCodec {
    /// Encodes a request.
    public static func encode(_ request: RwRequest) -> [UInt8] {
        var writer = PayloadWriter(capacity: 256 + request.body.count)
        RequestHead(request).write(to: &writer)
        writer.append(request.body)
        return writer.bytes
    }

    /// Decodes a request; throws ``WireError/malformed(_:)``.
    public static func decodeRequest(_ bytes: [UInt8]) throws(WireError) -> RwRequest {
        var reader = PayloadReader(bytes)
        let head = try RequestHead(from: &reader)
        return head.request(body: reader.readRest())
    }

    /// Encodes a response.
    public static func encode(_ response: RwResponse) -> [UInt8] {
        var writer = PayloadWriter(capacity: 256 + response.body.count)
        ResponseHead(response).write(to: &writer)
        writer.append(response.body)
        return writer.bytes
    }

    /// Decodes a response; throws ``WireError/malformed(_:)``.
    public static func decodeResponse(_ bytes: [UInt8]) throws(WireError) -> RwResponse {
        var reader = PayloadReader(bytes)
        let head = try ResponseHead(from: &reader)
        return RwResponse(status: head.status, headers: Headers(head.headers), body: reader.readRest())
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

    /// Appends `value` big-endian.
    static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// The big-endian `UInt32` at `offset`.
    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
