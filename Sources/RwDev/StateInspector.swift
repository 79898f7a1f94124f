import Foundation
import RwSDK

/// The `/_rw/state` page: the runner's state registry, its open channels and the generation
/// history, as JSON or HTML.
enum StateInspector {
    struct Snapshot: Codable {
        let entries: [StateEntry]
        /// The global and static stored variables of the serving generation's reloaded images.
        let globals: [Global]
        let generations: [GenerationRecord]
        let currentGeneration: Int?
        let depsHash: String
        /// Why requests are held at the gate right now (such as "building generation 3"), if they are.
        let heldBy: String?
        /// The channel topics with subscribers, and their sockets' ids.
        let channels: [TopicSubscribers]
        /// How the session started: warm (no SwiftPM run) or cold, and why.
        let start: String
    }

    /// One global or static stored variable of the app.
    struct Global: Codable {
        /// The qualified name (`App.signingKey`).
        let name: String
        let typeName: String
        /// Whether it holds a value now (`false`: lazy, never used).
        let initialized: Bool
        /// What the serving generation's load did with it: `kept`, `lazy`, `anew: <why>`, or
        /// `nil` (a first load, or a variable new in this generation).
        let lastLoad: String?

        init(_ entry: GlobalEntry, at report: GlobalsReport) {
            name = entry.name
            typeName = entry.typeName
            initialized = entry.initialized
            if report.kept.contains(entry.name) {
                lastLoad = "kept"
            } else if report.lazy.contains(entry.name) {
                lastLoad = "lazy"
            } else if let reset = report.reset.first(where: { $0.name == entry.name }) {
                lastLoad = "anew: \(reset.reason)"
            } else {
                lastLoad = nil
            }
        }
    }

    static func json(_ snapshot: Snapshot) -> RwResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let body = (try? encoder.encode(snapshot)) ?? Data("{}".utf8)
        return RwResponse(headers: ["Content-Type": "application/json", "Cache-Control": "no-store"], body: Array(body))
    }

    static func page(_ snapshot: Snapshot) -> RwResponse {
        let time = ISO8601DateFormatter()
        let page = Fragment {
            RawHTML("<!DOCTYPE html>")
            html(.lang("en")) {
                head {
                    meta(.charset("utf-8"))
                    title("State · rw dev")
                    Element("style") {
                        RawHTML(
                            "body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin-bottom:2rem}"
                                + "td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}th{background:#f4f4f4}"
                                + "code{font-family:ui-monospace,monospace}.failed{color:#b00}")
                    }
                }
                body {
                    h1 { "State" }
                    p { "Generation \(snapshot.currentGeneration.map(String.init) ?? "none") serving · deps image \(snapshot.depsHash)" }
                    p { "Session: \(snapshot.start)" }
                    if let heldBy = snapshot.heldBy { p { "Requests wait: \(heldBy)" } }
                    table {
                        tr {
                            th { "key" }
                            th { "type" }
                            th { "defined by generation" }
                            th { "defined at" }
                        }
                        for entry in snapshot.entries {
                            tr {
                                td { code { entry.key } }
                                td { code { entry.typeName } }
                                td { entry.generation }
                                td { time.string(from: entry.definedAt) }
                            }
                        }
                    }
                    h2 { "Globals and static properties" }
                    table {
                        tr {
                            th { "name" }
                            th { "type" }
                            th { "holds a value" }
                            th { "at the last load" }
                        }
                        for global in snapshot.globals {
                            tr {
                                td { code { global.name } }
                                td { code { global.typeName } }
                                td { global.initialized ? "yes" : "no (lazy)" }
                                td { global.lastLoad ?? "" }
                            }
                        }
                    }
                    h2 { "Channels" }
                    table {
                        tr {
                            th { "topic" }
                            th { "subscribed sockets" }
                        }
                        for channel in snapshot.channels {
                            tr {
                                td { code { channel.topic } }
                                td { channel.sockets.map(String.init).joined(separator: ", ") }
                            }
                        }
                    }
                    h2 { "Generations" }
                    table {
                        tr {
                            th { "gen" }
                            th { "time" }
                            th { "trigger" }
                            th { "build ms" }
                            th { "load ms" }
                            th { "outcome" }
                        }
                        for record in snapshot.generations.reversed() {
                            tr(.class(record.outcome == .serving ? "" : "failed")) {
                                td { record.number }
                                td { time.string(from: record.startedAt) }
                                td { record.trigger }
                                td { Int(record.buildMilliseconds) }
                                td { Int(record.loadMilliseconds) }
                                td { record.outcome.rawValue }
                            }
                        }
                    }
                }
            }
        }
        return RwResponse(headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"], text: page.renderedHTML())
    }
}
