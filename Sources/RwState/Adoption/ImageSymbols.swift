import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Names the functions of loaded images, from each image file's ELF symbol table.
///
/// `dladdr` alone names only exported symbols, while the methods in a class's method table are
/// usually internal (local symbols after a whole-module compile). The symbol table (`.symtab`,
/// or `.dynsym` when the file was stripped) is read once per image and kept for the life of the
/// process; images are never unloaded in a dev runner.
enum ImageSymbols {
    /// The symbol name of the function that starts exactly at `address`, or `nil` when no
    /// loaded image names one there.
    static func functionName(at address: UnsafeRawPointer) -> String? {
        guard let dladdr = lookUpImage else { return nil }
        // Dl_info: dli_fname, dli_fbase, dli_sname, dli_saddr.
        var info: (UnsafePointer<CChar>?, UnsafeRawPointer?, UnsafePointer<CChar>?, UnsafeRawPointer?) = (nil, nil, nil, nil)
        guard withUnsafeMutablePointer(to: &info, { dladdr(address, UnsafeMutableRawPointer($0)) }) != 0,
            let file = info.0, let base = info.1
        else { return nil }
        let offset = UInt64(UInt(bitPattern: address) - UInt(bitPattern: base))
        return table(for: String(cString: file))[offset]
    }

    /// `dladdr`, which Glibc's Swift module does not declare (it needs `_GNU_SOURCE`).
    private static let lookUpImage: (@convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32)? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "dladdr") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32).self)
        #else
            return nil
        #endif
    }()

    private static let tables = Mutex<[String: [UInt64: String]]>([:])

    /// A symbol of an image file.
    struct Symbol {
        /// The address relative to the image's load base.
        let address: UInt64
        /// Whether its section is writable (data that is not read-only).
        let isWritable: Bool
    }

    /// The defined data and function symbols of the image file at `path` whose names (their
    /// bytes) pass `include`, by name. Read anew on every call.
    static func symbols(inFileAt path: String, where include: (UnsafeRawBufferPointer) -> Bool) -> [String: Symbol] {
        guard let file = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return [:] }
        var named: [String: Symbol] = [:]
        // STT_OBJECT (1) and STT_FUNC (2).
        forEachSymbol(in: file, types: [1, 2], include: include) { name, address, isWritable in
            named[name] = Symbol(address: address, isWritable: isWritable)
        }
        return named
    }

    private static func table(for path: String) -> [UInt64: String] {
        if let known = tables.withLock({ $0[path] }) { return known }
        let read = (try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)).map(functions) ?? [:]
        tables.withLock { $0[path] = read }
        return read
    }

    /// The function symbols of an ELF64 little-endian file: address (relative to the load base
    /// of a shared object) → name.
    private static func functions(in file: Data) -> [UInt64: String] {
        var names: [UInt64: String] = [:]
        forEachSymbol(in: file, types: [2]) { name, address, _ in names[address] = name }
        return names
    }

    /// Calls `body` with the name, the address (relative to the load base of a shared object)
    /// and whether the section is writable of every defined symbol of the given ELF types
    /// (`st_info & 0xF`) in an ELF64 little-endian file's symbol table (`.symtab`, else
    /// `.dynsym`).
    private static func forEachSymbol(
        in file: Data, types: Set<UInt8>, include: (UnsafeRawBufferPointer) -> Bool = { _ in true }, _ body: (String, UInt64, Bool) -> Void
    ) {
        file.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard bytes.count > 64, bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]), bytes[4] == 2, bytes[5] == 1 else { return }
            func u16(_ at: Int) -> Int { Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
            func u32(_ at: Int) -> Int { Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
            func u64(_ at: Int) -> Int { Int(truncatingIfNeeded: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            let sectionTable = u64(0x28)
            let sectionSize = u16(0x3A)
            let sectionCount = u16(0x3C)
            guard sectionTable > 0, sectionSize >= 64, sectionTable + sectionSize * sectionCount <= bytes.count else { return }
            let sections = (0..<sectionCount).map { sectionTable + $0 * sectionSize }
            // SHT_SYMTAB (2), else SHT_DYNSYM (11).
            guard let symbols = sections.first(where: { u32($0 + 4) == 2 }) ?? sections.first(where: { u32($0 + 4) == 11 }) else {
                return
            }
            let link = u32(symbols + 40)
            guard link < sectionCount else { return }
            let strings = sections[link]
            let (symbolStart, symbolBytes) = (u64(symbols + 24), u64(symbols + 32))
            let (stringStart, stringBytes) = (u64(strings + 24), u64(strings + 32))
            guard symbolStart + symbolBytes <= bytes.count, stringStart + stringBytes <= bytes.count else { return }
            for symbol in stride(from: symbolStart, to: symbolStart + symbolBytes - 23, by: 24) {
                // Defined (st_shndx != 0) and of one of the asked types.
                let section = u16(symbol + 6)
                guard types.contains(bytes[symbol + 4] & 0xF), section != 0 else { continue }
                // SHF_WRITE (1) in the section's flags; special indices (≥ 0xFF00) are not data.
                let isWritable = section < sectionCount && u64(sections[section] + 8) & 1 != 0
                let nameOffset = u32(symbol)
                guard nameOffset < stringBytes else { continue }
                let start = stringStart + nameOffset
                guard let end = bytes[start..<(stringStart + stringBytes)].firstIndex(of: 0),
                    include(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                else { continue }
                body(String(decoding: bytes[start..<end], as: UTF8.self), UInt64(u64(symbol + 8)), isWritable)
            }
        }
    }
}
