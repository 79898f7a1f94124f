import Foundation
import RwSDK

/// The `/_rw/state` page: the runner's state registry and the generation history, as JSON or HTML.
enum StateInspector {
    struct Snapshot: Codable {
        let entries: [StateEntry]
        let generations: [GenerationRecord]
        let currentGeneration: Int?
        let depsHash: String
        /// Why requests are held at the gate right now (such as "building generation 3"), if they are.
        let heldBy: String?
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
                    if let heldBy = snapshot.heldBy { p { "Requests wait: \(heldBy)" } }
                    table {
                        tr { th { "key" }; th { "type" }; th { "defined by generation" }; th { "defined at" } }
                        for entry in snapshot.entries {
                            tr {
                                td { code { entry.key } }
                                td { code { entry.typeName } }
                                td { entry.generation }
                                td { time.string(from: entry.definedAt) }
                            }
                        }
                    }
                    h2 { "Generations" }
                    table {
                        tr { th { "gen" }; th { "time" }; th { "trigger" }; th { "build ms" }; th { "load ms" }; th { "outcome" } }
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
