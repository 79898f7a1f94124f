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
    /// Answers a request refused before its body was read (status, message) as the app answers
    /// that error: its error handler and around-middleware see it; never throws.
    public let refuse: @Sendable (RwRequest, Int, String) async -> RwResponse

    /// Creates an entry.
    public init(
        depsHash: String, handle: @escaping @Sendable (RwRequest) async -> RwResponse,
        refuse: @escaping @Sendable (RwRequest, Int, String) async -> RwResponse
    ) {
        self.depsHash = depsHash
        self.handle = handle
        self.refuse = refuse
    }

    /// The C symbol every app image exports; it returns a retained `ImageEntry` pointer.
    public static let symbol = "rw_image_entry"
}
