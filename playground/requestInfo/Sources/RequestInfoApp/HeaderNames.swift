// rw-playground: begin plain
// import OrderedCollections
//
// import RwSDK
//
// /// A server component: the request's header names, each once, in the order they first came
// /// (`OrderedSet` from swift-collections).
// func HeaderNames() -> some HTML {
//     let names = OrderedSet(requestInfo.request.headers.map { $0.name.lowercased() })
//     return p(.id("header-names")) { "header names: \(names.joined(separator: ", "))" }
// }
// rw-playground: end plain
