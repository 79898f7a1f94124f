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
                        // struct dl_phdr_info: dlpi_addr, then dlpi_name.
                        guard let info, let context else { return 0 }
                        let base = info.load(as: UInt.self)
                        let name = info.load(fromByteOffset: MemoryLayout<UInt>.size, as: UnsafePointer<CChar>?.self)
                        let path = name.map { String(cString: $0) } ?? ""
                        if !path.isEmpty {
                            context.assumingMemoryBound(to: [Image].self).pointee.append(Image(path: path, base: base))
                        }
                        return 0
                    }, list)
            }
            return images
        #else
            return []
        #endif
    }
}
