/// The library containers whose values are kept as they are when their elements are reloaded app
/// types with the same layout in both generations: an `Array`, `ContiguousArray`, `Set` or
/// `Dictionary` of app structs, and an `Optional` of one.
///
/// Such a value keeps its storage object (the buffer the library allocated for the earlier
/// generation's element type), and the new generation's code reads and writes it as its own
/// element type. That is sound because these containers reach their elements only through the
/// element type the calling code names (its size, alignment and value witnesses, the same in both
/// generations), never through the storage object's own class: on Linux nothing downcasts the
/// storage to a specialization (only Objective-C bridging does). The storage's deinitializer
/// destroys the elements with the earlier generation's witnesses, whose code stays loaded.
/// `Optional` has no storage at all.
protocol AdoptableContainer {}

extension Array: AdoptableContainer {}
extension ContiguousArray: AdoptableContainer {}
extension Set: AdoptableContainer {}
extension Dictionary: AdoptableContainer {}

extension TypeMetadata {
    /// Whether the type is one of the ``AdoptableContainer`` library containers.
    var isAdoptableContainer: Bool { (type as? any AdoptableContainer.Type) != nil }

    /// The element types of an ``AdoptableContainer`` or an `Optional` (its payload); `nil` for
    /// another type, or when they cannot be read.
    var containerElements: [Any.Type]? {
        if kind == .optional { return cases?.compactMap(\.type) }
        return isAdoptableContainer ? genericTypeArguments : nil
    }
}
