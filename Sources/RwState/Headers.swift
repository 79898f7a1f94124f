/// An ordered list of HTTP header fields with case-insensitive name lookup.
///
/// Order and repeated names are preserved exactly as added.
public struct Headers: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public struct Field: Sendable, Equatable, Codable {
        /// The field name as it was given.
        public var name: String
        /// The field value.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// All fields, in order.
    public private(set) var fields: [Field]

    /// Creates an empty list.
    public init() { fields = [] }

    /// Creates a list holding `fields` in order.
    public init(_ fields: [Field]) { self.fields = fields }

    /// Creates a list from literal pairs, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of the field named `name` (compared case-insensitively); setting replaces
    /// every field of that name with one field, or removes them all when set to `nil`.
    public subscript(name: String) -> String? {
        get { fields.first { Self.same($0.name, name) }?.value }
        set {
            if let index = fields.firstIndex(where: { Self.same($0.name, name) }), let newValue {
                fields[index].value = newValue
                let tail = fields.index(after: index)
                fields[tail...].removeAll { Self.same($0.name, name) }
            } else {
                remove(name)
                if let newValue { fields.append(Field(name: name, value: newValue)) }
            }
        }
    }

    /// Every value of the field named `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.same($0.name, name) }.map(\.value)
    }

    /// Appends a field, keeping existing fields of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field named `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.same($0.name, name) }
    }

    /// The number of fields.
    public var count: Int { fields.count }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// ASCII case-insensitive comparison, as HTTP field names require.
    package static func same(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        // Compared as contiguous bytes (zipping the two UTF-8 views went through their protocol
        // witnesses at every byte).
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for index in 0..<x.count where x[index] != y[index] {
                    let lower = x[index] | 0x20
                    guard lower == y[index] | 0x20, lower >= 0x61, lower <= 0x7a else { return false }
                }
                return true
            }
        }
    }
}
