import Foundation
import RwState
import RwWire
import Testing

@Suite(.timeLimit(.minutes(5))) struct FrameCodecTests {
    @Test func framesRoundTripWhateverTheChunksTheyArriveIn() throws {
        let frames = [
            Frame(.request, stream: 1, Array("first".utf8)),
            Frame(.hello, json: RunnerHello(pid: 42)),
            Frame(.response, stream: UInt32.max, []),
            Frame(.loaded, stream: 7, json: LoadReply(.refused(reason: "other deps"), loadMilliseconds: 1.5))
        ]
        let bytes = frames.flatMap(\.bytes)
        for chunkSize in [1, 2, 9, 10, bytes.count] {
            var decoder = FrameDecoder()
            var decoded: [Frame] = []
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                decoder.append(bytes[start..<min(start + chunkSize, bytes.count)])
                while let frame = try decoder.next() { decoded.append(frame) }
            }
            #expect(decoded == frames, "chunks of \(chunkSize) bytes")
            #expect(!decoder.hasPartialFrame)
        }
    }

    @Test func anIncompleteFrameWaitsForTheRest() throws {
        let bytes = Frame(.state, stream: 3, [1, 2, 3]).bytes
        var decoder = FrameDecoder()
        decoder.append(bytes.dropLast())
        #expect(try decoder.next() == nil)
        #expect(decoder.hasPartialFrame)
        decoder.append(bytes.suffix(1))
        #expect(try decoder.next() == Frame(.state, stream: 3, [1, 2, 3]))
    }

    @Test func anUnknownKindIsMalformedAndStaysSo() {
        var decoder = FrameDecoder()
        decoder.append([0xEE, 0, 0, 0, 1, 0, 0, 0, 0] + Frame(.state).bytes)
        #expect(throws: WireError.malformed("unknown frame kind 238")) { try decoder.next() }
        #expect(throws: WireError.self, "the stream cannot be resynchronized") { try decoder.next() }
    }

    @Test func aPayloadLongerThanTheLimitIsMalformed() {
        var decoder = FrameDecoder()
        let length = UInt32(Frame.maxPayload + 1)
        decoder.append([
            Frame.Kind.request.rawValue, 0, 0, 0, 1, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)
        ])
        #expect(throws: WireError.self) { try decoder.next() }
    }

    @Test func requestsKeepEveryHeaderFieldInOrderAndTheBody() throws {
        var headers = Headers()
        headers.add(name: "Set-Cookie", value: "a=1")
        headers.add(name: "set-cookie", value: "b=2")
        headers.add(name: "X-Empty", value: "")
        let request = RwRequest(method: "POST", target: "/form?x=1&y=é", headers: headers, body: Array("name=rw\u{0}\u{FF}".utf8))
        let decoded = try WireCodec.decodeRequest(WireCodec.encode(request))
        #expect(decoded.method == "POST")
        #expect(decoded.target == "/form?x=1&y=é")
        #expect(decoded.headers == headers)
        #expect(decoded.body == request.body)
    }

    @Test func responsesKeepStatusHeadersAndBody() throws {
        let response = RwResponse(status: 418, headers: ["Content-Type": "text/plain", "X-Two": "2"], body: [0, 1, 2, 255])
        let decoded = try WireCodec.decodeResponse(WireCodec.encode(response))
        #expect(decoded.status == 418)
        #expect(decoded.headers == response.headers)
        #expect(decoded.body == [0, 1, 2, 255])
    }

    @Test func headsAreTypedFieldsInBinary() throws {
        let request = RwRequest(method: "PUT", target: "/ü?q=ß", headers: ["Accept": "*/*", "X-Empty": "", "x-rëpeat": "1", "X-Rëpeat": "2"])
        var writer = PayloadWriter()
        RequestHead(request).write(to: &writer)
        var reader = PayloadReader(writer.bytes)
        let head = try RequestHead(from: &reader)
        #expect(head == RequestHead(request))
        #expect(head.headers.map(\.name) == ["Accept", "X-Empty", "x-rëpeat", "X-Rëpeat"])
        #expect(reader.readRest().isEmpty, "the head ends where the body starts")
    }

    @Test func countsLargerThanThePayloadAreMalformed() {
        // One field announced per 8 bytes at most: a huge count is refused before any allocation.
        var huge = PayloadWriter()
        huge.write(200)
        huge.write(UInt32.max)
        #expect(throws: WireError.self) { try WireCodec.decodeResponse(huge.bytes) }
        var short = PayloadWriter()
        short.write("GET")
        short.write(UInt32(10))
        short.append(Array("/abc".utf8))
        #expect(throws: WireError.self) { try WireCodec.decodeRequest(short.bytes) }
    }

    @Test func malformedPayloadsAreErrorsNotCrashes() {
        #expect(throws: WireError.self) { try WireCodec.decodeRequest([]) }
        #expect(throws: WireError.self) { try WireCodec.decodeRequest([0, 0, 0, 200, 1, 2]) }
        #expect(throws: WireError.self) { try WireCodec.decodeResponse([0, 0, 0, 2] + Array("{}".utf8)) }
        #expect(throws: WireError.self) { try WireCodec.decodeResponse([0, 0, 0, 4] + Array("nope".utf8)) }
        #expect(throws: WireError.self) { try Frame(.loaded, Array("{}".utf8)).decode(LoadReply.self) }
    }

    @Test func loadOutcomesAreTyped() throws {
        for outcome in [LoadOutcome.loaded, .refused(reason: "deps abc"), .failed(reason: "dlopen failed")] {
            let frame = Frame(.loaded, stream: 9, json: LoadReply(outcome, loadMilliseconds: 2))
            #expect(try frame.decode(LoadReply.self).outcome == outcome)
        }
        #expect(LoadOutcome.loaded.failure == nil)
        #expect(LoadOutcome.refused(reason: "deps abc").failure == "deps abc")
    }

    /// Frames that arrived together are delivered in order, each saying whether another one has
    /// already arrived after it; a bounded wait ticks while nothing arrives and reading goes on.
    @Test func aReaderSeesWhichFramesHaveOthersWaitingBehindThem() throws {
        let (reading, writing) = try UnixSocket.pair()
        let frames = [Frame(.request, stream: 1, Array("a".utf8)), Frame(.request, stream: 2, []), Frame(.load, stream: 3, [])]
        try writing.send(frames.flatMap(\.bytes))
        var seen: [(UInt32, Bool)] = []
        var ticks = 0
        let outcome = FrameConnection(reading).read(tick: { ticks += 1 }, every: .milliseconds(20)) { frame, moreWaiting in
            seen.append((frame.stream, moreWaiting))
            if frame.stream == 3 {
                // Sent after the reader has waited (and ticked) with nothing to read.
                Thread {
                    Thread.sleep(forTimeInterval: 0.1)  // leaves the reader idle for several ticks
                    try? writing.send(Frame(.request, stream: 4, []).bytes)
                    writing.shutdown()
                }.start()
            }
        }
        #expect(outcome == nil)
        #expect(seen.map(\.0) == [1, 2, 3, 4])
        #expect(seen.map(\.1) == [true, true, false, false])
        #expect(ticks >= 2, "the reader ticked \(ticks) times while waiting 100 ms at 20 ms")
    }
}
