import Foundation
import Testing

@testable import RwSDK

@Suite(.timeLimit(.minutes(5))) struct FlatJSONTests {
    struct Props: Codable, Equatable {
        let start: Int
        let label: String
        let on: Bool
        let small: UInt8
        let optional: Int?
    }

    static let texts = [
        "", "plain", String(decoding: Array(0..<128), as: UTF8.self), "héllo → 世界 & 👋 </script>",
        "\u{2028}\u{2029}\u{7F}\u{85}", "a\"b\\c/d"
    ]

    @Test func flatPropsEncodeAsJSONEncoderDoes() throws {
        for text in Self.texts {
            for optional in [nil, 7] as [Int?] {
                let props = Props(start: Int.min, label: text, on: true, small: 255, optional: optional)
                let fast = try FlatJSON.encode(props)
                // JSONEncoder orders keys by hash, so compare values, and single keys exactly.
                #expect(try JSONDecoder().decode(Props.self, from: Data(fast.utf8)) == props)
                let fastObject = try JSONSerialization.jsonObject(with: Data(fast.utf8)) as? NSDictionary
                let slowObject = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(props)) as? NSDictionary
                #expect(fastObject == slowObject)
                struct One: Encodable { let label: String }
                #expect(try FlatJSON.encode(One(label: text)) == String(decoding: try JSONEncoder().encode(One(label: text)), as: UTF8.self))
            }
        }
    }

    @Test func otherShapesAreLeftToJSONEncoder() {
        struct Nested: Encodable { let list: [Int] }
        struct Real: Encodable { let value: Double }
        enum Kind: String, Encodable { case one }
        struct WithEnum: Encodable { let kind: Kind }
        func unsupported(_ value: some Encodable) -> Bool { (try? FlatJSON.encode(value)) == nil }
        #expect(unsupported(Nested(list: [1])))
        #expect(unsupported(Real(value: 1)))
        #expect(unsupported(WithEnum(kind: .one)))
        #expect(unsupported([1, 2]))
        #expect(unsupported(["a": 1]))
        #expect(unsupported("text"))
    }

    /// Writes `keys` in order, each with its index, into one keyed container.
    struct Keys: Encodable {
        let keys: [String]
        struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (index, key) in keys.enumerated() { try container.encode(index, forKey: Key(stringValue: key)) }
        }
    }

    @Test func aRepeatedKeyIsLeftToJSONEncoder() throws {
        #expect((try? FlatJSON.encode(Keys(keys: ["start", "start"]))) == nil)
        #expect((try? FlatJSON.encode(Keys(keys: ["a", "b", "a"]))) == nil)
        #expect((try? FlatJSON.encode(Keys(keys: ["a\"b", "c", "a\"b"]))) == nil)
        // Keys inside other keys, or a key's text inside a value, are not repeats.
        #expect(try FlatJSON.encode(Keys(keys: ["a", "ba", "ab", "b", "a:"])) == #"{"a":0,"ba":1,"ab":2,"b":3,"a:":4}"#)
        struct Mixed: Encodable {
            let text: String
            let a: Int
        }
        #expect(try FlatJSON.encode(Mixed(text: #","a":"#, a: 1)) == #"{"text":",\"a\":","a":1}"#)
    }

    @Test func clientComponentPropsAreTheSame() {
        struct CounterProps: Codable, Sendable { let start: Int }
        let counter = clientComponent("Counter", module: "/c.js") { (props: CounterProps) in button { "\(props.start)" } }
        #expect(counter(CounterProps(start: 3)).renderedHTML().contains(#"data-rw-props="{&quot;start&quot;:3}""#))
    }
}
