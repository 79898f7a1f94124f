// rw-playground: begin client
// import Algorithms
//
// import RwSDK
//
// /// The picker's props: letters in groups of two, sent to the browser as JSON.
// struct PickerProps: Codable, Sendable {
//     let groups: [[String]]
// }
//
// /// The letters of "request", in groups of two (`chunks(ofCount:)` from swift-algorithms).
// func letterGroups() -> [[String]] {
//     "request".map(String.init).chunks(ofCount: 2).map(Array.init)
// }
//
// /// A client component: rendered here, made interactive by public/client/picker.js.
// let Picker = clientComponent("Picker", module: "/client/picker.js") { (props: PickerProps) in
//     button(.type("button"), .id("picker")) { "Pick a group (\(props.groups.count))" }
//     p(.id("picked")) { "nothing picked" }
// }
// rw-playground: end client
