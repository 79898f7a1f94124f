/// What became of a ``LoadCommand``.
public enum LoadOutcome: Codable, Sendable, Equatable {
    /// The generation is now serving.
    case loaded
    /// The image was opened but refused: it was compiled against another deps image. The
    /// serving generation stays.
    case refused(reason: String)
    /// The image could not be loaded (`dlopen` failed, no entry point, a malformed command, or
    /// the runner did not answer). The serving generation stays.
    case failed(reason: String)

    /// Why the generation is not serving; `nil` when it is.
    public var failure: String? {
        switch self {
        case .loaded: nil
        case .refused(let reason), .failed(let reason): reason
        }
    }
}
