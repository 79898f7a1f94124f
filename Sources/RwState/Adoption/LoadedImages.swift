#if canImport(Glibc)
import Glibc
#endif

/// The shared objects loaded into this process, from the dynamic loader's own list.
package enum LoadedImages {
    /// One loaded object: its file and the address its symbols' values are relative to.
    package struct Image: Hashable, Sendable {
        /// The path the object was loaded from, as the loader recorded it.
        package let path: String
        /// The load base (`dlpi_addr`).
        package let base: UInt
        /// The addresses its loadable segments span.
        package let span: Range<UInt>

        /// Whether `address` lies in the image's segments.
        package func contains(_ address: UnsafeRawPointer) -> Bool {
            span.contains(UInt(bitPattern: address))
        }
    }

    /// Every object the loader has mapped now, in its order (empty where `dl_iterate_phdr` is
    /// missing).
    package static func current() -> [Image] {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "dl_iterate_phdr") else { return [] }
        typealias Callback = @convention(c) (UnsafeRawPointer?, Int, UnsafeMutableRawPointer?) -> Int32
        typealias Iterate = @convention(c) (Callback, UnsafeMutableRawPointer?) -> Int32
        let iterate = unsafeBitCast(symbol, to: Iterate.self)
        var images: [Image] = []
        withUnsafeMutablePointer(to: &images) { list in
            _ = iterate(
                { info, _, context in
                    // struct dl_phdr_info: dlpi_addr, dlpi_name, dlpi_phdr, dlpi_phnum.
                    guard let info, let context else { return 0 }
                    let base = info.load(as: UInt.self)
                    let name = info.load(fromByteOffset: 8, as: UnsafePointer<CChar>?.self)
                    let path = name.map { String(cString: $0) } ?? ""
                    guard !path.isEmpty, let headers = info.load(fromByteOffset: 16, as: UnsafeRawPointer?.self) else { return 0 }
                    let count = Int(info.load(fromByteOffset: 24, as: UInt16.self))
                    var low = UInt.max
                    var high: UInt = 0
                    for index in 0..<count {
                        // Elf64_Phdr: p_type (PT_LOAD is 1) … p_vaddr at 16, p_memsz at 40.
                        let header = headers + index * 56
                        guard header.load(as: UInt32.self) == 1 else { continue }
                        let start = UInt(header.load(fromByteOffset: 16, as: UInt64.self))
                        low = min(low, start)
                        high = max(high, start + UInt(header.load(fromByteOffset: 40, as: UInt64.self)))
                    }
                    let span = low < high ? (base + low)..<(base + high) : base..<base
                    context.assumingMemoryBound(to: [Image].self).pointee.append(Image(path: path, base: base, span: span))
                    return 0
                }, list)
        }
        return images
        #else
        return []
        #endif
    }
}
