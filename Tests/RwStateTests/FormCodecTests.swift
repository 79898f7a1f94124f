import RwState
import Testing

@Suite(.timeLimit(.minutes(1))) struct FormCodecTests {
    @Test func decodesPlusAndEscapes() {
        #expect(FormCodec.decode(Array("a+b%20c%C3%A9".utf8)) == "a b cé")
        #expect(FormCodec.decode(Array("plain".utf8)) == "plain")
        #expect(FormCodec.decode(Array("%2B%26%3D".utf8)) == "+&=")
    }

    @Test func keepsMalformedOrNonUTF8TextAsItArrived() {
        for raw in ["%", "%2", "%zz", "a+%G1", "%FF%FE", "%C3%28", "100%"] {
            #expect(FormCodec.decode(Array(raw.utf8)) == raw, "\(raw)")
        }
    }

    @Test func splitsPairsInOrderAndSkipsEmptyPieces() {
        let pairs = FormCodec.pairs("a=1&&b&tag=x&tag=y&=z&c=%3D".utf8)
        #expect(pairs.map(\.name) == ["a", "b", "tag", "tag", "", "c"])
        #expect(pairs.map(\.value) == ["1", "", "x", "y", "z", "="])
    }

    @Test func encodesAsABrowserAndRoundTrips() {
        #expect(FormCodec.encode("a b&c=d/é*-._") == "a+b%26c%3Dd%2F%C3%A9*-._")
        for text in ["", " ", "+", "%", "100% & more", "naïve café", "line\nbreak", "emoji 🎉", "a=b&c=d"] {
            #expect(FormCodec.decode(Array(FormCodec.encode(text).utf8)) == text, "\(text)")
            let pairs = FormCodec.pairs("\(FormCodec.encode(text))=\(FormCodec.encode(text))".utf8)
            #expect(pairs.count == 1 && pairs[0].name == text && pairs[0].value == text, "\(text)")
        }
    }

    @Test func hexDigitsAndValuesAgree() {
        #expect(Hex.string([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.string(UInt64(0x1234_abcd)) == "000000001234abcd")
        for byte in UInt8.min...UInt8.max {
            let text = Hex.string([byte])
            let digits = Array(text.utf8)
            #expect(Hex.value(digits[0]).map { $0 << 4 | Hex.value(digits[1])! } == byte)
            #expect(Hex.value(Hex.digit(byte & 15, uppercase: true)) == byte & 15)
        }
        #expect(Hex.value(UInt8(ascii: "g")) == nil && Hex.value(UInt8(ascii: "G")) == nil)
    }
}
