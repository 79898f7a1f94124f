import Foundation
import Synchronization

/// What the fault server counts and keeps across requests, for tests that observe it from outside.
enum Counters {
    /// How many `/bytes/:size/:index` requests the app has begun to handle.
    static let bytesHandled = Atomic<Int>(0)

    /// Whether to keep every ctx blob forever (`RW_FAULT_SERVER_RETAIN_CTX=1`): a deliberately
    /// leaking app, for the test that shows the ctx-release check fails on a leak.
    static let retainsCtx = ProcessInfo.processInfo.environment["RW_FAULT_SERVER_RETAIN_CTX"] == "1"

    /// The blobs a retaining app keeps.
    static let retained = Mutex<[[UInt8]]>([])
}
