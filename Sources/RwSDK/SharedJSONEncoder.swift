import Foundation

/// The encoder for props and action results, made once: `JSONEncoder` may be used from many
/// threads at once, and making one per call showed in profiles of the production server.
let sharedJSONEncoder = JSONEncoder()
