/// What a generation's app image hands the dev runner: its request handler and the hash of the
/// deps image it was compiled against.
///
/// It lives in the state module because it crosses from reloaded code into the runner, which
/// links only this module.
public final class ImageEntry: Sendable {
    /// The hash of the deps image the app image was compiled against.
    public let depsHash: String
    /// Answers one request with this generation's code; never throws.
    public let handle: @Sendable (RwRequest) async -> RwResponse

    /// Creates an entry.
    public init(depsHash: String, handle: @escaping @Sendable (RwRequest) async -> RwResponse) {
        self.depsHash = depsHash
        self.handle = handle
    }

    /// The C symbol every app image exports; it returns a retained `ImageEntry` pointer.
    public static let symbol = "rw_image_entry"
}
