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

    private static let tables = Mutex<[String: FunctionTable]>([:])

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
        forEachSymbol(in: file, objects: true) { name, _, address, isWritable in
            guard include(name) else { return }
            named[String(decoding: name, as: UTF8.self)] = Symbol(address: address, isWritable: isWritable)
        }
        return named
    }

    /// The function symbols of one image file, named only when asked: an image has thousands of
    /// functions and a reload asks for the few in some classes' method tables.
    private final class FunctionTable: @unchecked Sendable {
        // Unchecked: immutable after init (the mapped file is never written).
        private let file: Data
        /// Address (relative to the load base) → offset of the name in `file`.
        private let names: [UInt64: Int]

        init(file: Data) {
            self.file = file
            var names: [UInt64: Int] = [:]
            ImageSymbols.forEachSymbol(in: file, objects: false) { _, nameOffset, address, _ in names[address] = nameOffset }
            self.names = names
        }

        subscript(address: UInt64) -> String? {
            guard let offset = names[address] else { return nil }
            return file.withUnsafeBytes { bytes in
                String(cString: bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self))
            }
        }
    }

    private static func table(for path: String) -> FunctionTable {
        if let known = tables.withLock({ $0[path] }) { return known }
        let read = FunctionTable(file: (try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)) ?? Data())
        tables.withLock { $0[path] = read }
        return read
    }

    /// Calls `body` with the name (its bytes, and their offset in the file), the address
    /// (relative to the load base of a shared object) and whether the section is writable, of
    /// every defined function (`STT_FUNC`), and with `objects` every data object (`STT_OBJECT`)
    /// too, in an ELF64 little-endian file's symbol table (`.symtab`, else `.dynsym`).
    ///
    /// Raw pointer reads only: this runs on every reload, in a library usually compiled without
    /// optimization, over every symbol of an image.
    private static func forEachSymbol(
        in file: Data, objects: Bool, _ body: (_ name: UnsafeRawBufferPointer, _ nameOffset: Int, _ address: UInt64, _ isWritable: Bool) -> Void
    ) {
        file.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard bytes.count > 64, let base = bytes.baseAddress, bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]), bytes[4] == 2, bytes[5] == 1
            else { return }
            let size = bytes.count
            func u16(_ at: Int) -> Int { Int(base.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
            func u32(_ at: Int) -> Int { Int(base.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
            func u64(_ at: Int) -> Int { Int(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            let sectionTable = u64(0x28)
            let sectionSize = u16(0x3A)
            let sectionCount = u16(0x3C)
            guard sectionTable > 0, sectionSize >= 64, sectionTable + sectionSize * sectionCount <= size else { return }
            // SHT_SYMTAB (2), else SHT_DYNSYM (11).
            var symbols = -1
            for index in 0..<sectionCount where u32(sectionTable + index * sectionSize + 4) == 2 {
                symbols = sectionTable + index * sectionSize
                break
            }
            if symbols < 0 {
                for index in 0..<sectionCount where u32(sectionTable + index * sectionSize + 4) == 11 {
                    symbols = sectionTable + index * sectionSize
                    break
                }
            }
            guard symbols >= 0 else { return }
            let link = u32(symbols + 40)
            guard link < sectionCount else { return }
            let strings = sectionTable + link * sectionSize
            // Whether each section is writable (SHF_WRITE, bit 0 of its flags).
            var writable = [Bool](repeating: false, count: sectionCount)
            for index in 0..<sectionCount { writable[index] = u64(sectionTable + index * sectionSize + 8) & 1 != 0 }
            let (symbolStart, symbolBytes) = (u64(symbols + 24), u64(symbols + 32))
            let (stringStart, stringBytes) = (u64(strings + 24), u64(strings + 32))
            guard symbolBytes >= 24, symbolStart + symbolBytes <= size, stringStart + stringBytes <= size else { return }
            var symbol = symbolStart
            while symbol + 24 <= symbolStart + symbolBytes {
                defer { symbol += 24 }
                // Defined (st_shndx != 0), a function (2) or, if asked, an object (1).
                let type = base.load(fromByteOffset: symbol + 4, as: UInt8.self) & 0xF
                let section = u16(symbol + 6)
                guard type == 2 || (objects && type == 1), section != 0 else { continue }
                let nameOffset = u32(symbol)
                guard nameOffset < stringBytes else { continue }
                let start = stringStart + nameOffset
                let length = strnlen(base.advanced(by: start).assumingMemoryBound(to: CChar.self), stringBytes - nameOffset)
                guard length < stringBytes - nameOffset else { continue }  // unterminated
                // Special section indices (≥ 0xFF00) are not data.
                let isWritable = section < sectionCount && writable[section]
                body(UnsafeRawBufferPointer(start: base + start, count: length), start, UInt64(u64(symbol + 8)), isWritable)
            }
        }
    }
}
