#if canImport(Glibc)
import Glibc
#endif

/// Readable names of Swift symbols, for messages.
enum SymbolName {
    /// `symbol` demangled, without the module and type prefix `… .typeName.` when present
    /// (`hit() -> Swift.Int` for a method of `Visits`); the mangled name when the runtime cannot
    /// demangle it.
    static func readable(_ symbol: String, in typeName: String) -> String {
        guard let demangle, let text = symbol.withCString({ demangle($0, strlen($0), nil, nil, 0) }) else { return symbol }
        defer { free(text) }
        let full = String(cString: text)
        if let range = full.range(of: typeName + ".") { return String(full[range.upperBound...]) }
        return full
    }

    /// `symbol` demangled in full, or `nil` when the runtime cannot demangle it.
    static func demangled(_ symbol: String) -> String? {
        guard let demangle, let text = symbol.withCString({ demangle($0, strlen($0), nil, nil, 0) }) else { return nil }
        defer { free(text) }
        return String(cString: text)
    }

    /// The runtime's `swift_demangle` (a C entry point; its name is reserved for the runtime in
    /// Swift declarations).
    private static let demangle:
        (
            @convention(c) (UnsafePointer<CChar>?, Int, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Int>?, UInt32) ->
                UnsafeMutablePointer<CChar>?
        )? = {
            #if canImport(Glibc)
            guard let symbol = dlsym(nil, "swift_demangle") else { return nil }
            return unsafeBitCast(
                symbol,
                to: (@convention(c) (UnsafePointer<CChar>?, Int, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Int>?, UInt32) ->
                    UnsafeMutablePointer<CChar>?).self)
            #else
            return nil
            #endif
        }()
}
