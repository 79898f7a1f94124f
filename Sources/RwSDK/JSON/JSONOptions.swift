import Foundation

/// How an app writes and reads JSON: the values its routes return, the bodies
/// `request.decode(_:)` reads and the bodies of its errors. Set once for the app with
/// `defineApp(json:)`.
///
/// ```swift
/// public let app = defineApp(json: JSONOptions(keys: .snakeCase, dates: .iso8601)) { … }
/// ```
public struct JSONOptions: Sendable {
    /// How property names become JSON keys and back.
    public enum Keys: Sendable, Equatable {
        /// Keys are the property names as declared (`createdAt`).
        case asDeclared
        /// Keys are written in snake case (`createdAt` → `created_at`) and read back from it.
        case snakeCase
    }

    /// How `Date` values are written and read.
    public enum Dates: Sendable, Equatable {
        /// ISO 8601 text, such as `2026-12-07T17:00:00Z`.
        case iso8601
        /// A number of seconds since 1970-01-01 UTC.
        case secondsSince1970
        /// A number of milliseconds since 1970-01-01 UTC.
        case millisecondsSince1970
    }

    /// The key strategy.
    public let keys: Keys
    /// The date strategy.
    public let dates: Dates
    /// Whether objects are written with their keys sorted (stable output, for example for tests).
    public let sortedKeys: Bool

    /// The encoder and decoder made from these options, once: both may be used from many
    /// threads at once.
    let encoder: JSONEncoder
    let decoder: JSONDecoder

    /// Creates options; the defaults write keys as declared and dates as ISO 8601 text.
    public init(keys: Keys = .asDeclared, dates: Dates = .iso8601, sortedKeys: Bool = false) {
        self.keys = keys
        self.dates = dates
        self.sortedKeys = sortedKeys
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        if keys == .snakeCase {
            encoder.keyEncodingStrategy = .convertToSnakeCase
            decoder.keyDecodingStrategy = .convertFromSnakeCase
        }
        switch dates {
        case .iso8601:
            encoder.dateEncodingStrategy = .iso8601
            decoder.dateDecodingStrategy = .iso8601
        case .secondsSince1970:
            encoder.dateEncodingStrategy = .secondsSince1970
            decoder.dateDecodingStrategy = .secondsSince1970
        case .millisecondsSince1970:
            encoder.dateEncodingStrategy = .millisecondsSince1970
            decoder.dateDecodingStrategy = .millisecondsSince1970
        }
        if sortedKeys { encoder.outputFormatting = [.sortedKeys] }
        self.encoder = encoder
        self.decoder = decoder
    }

    /// The default options, shared.
    static let standard = JSONOptions()

    /// The options of the app handling the current task's request, when it has options of its
    /// own (`defineApp(json:)`); `nil` otherwise.
    @TaskLocal static var appOptions: JSONOptions?

    /// The options of the app handling the current task's request: its own, or the defaults.
    static var current: JSONOptions { appOptions ?? .standard }

    /// `value` encoded as JSON bytes.
    func encode(_ value: any Encodable) throws -> [UInt8] {
        Array(try encoder.encode(value))
    }
}
