/// Header (or trailer) fields in the order received, with case-insensitive lookup by name.
///
/// Names and values are kept as sent; repeated fields stay separate entries.
///
/// ```swift
/// let headers: HTTPHeaders = ["Host": "example.com", "Accept": "*/*"]
/// headers["host"]              // "example.com"
/// headers.values(for: "accept") // ["*/*"]
/// ```
public struct HTTPHeaders: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One field line: its name and its value without surrounding whitespace.
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    /// Creates an empty field list.
    public init() { fields = [] }

    /// Creates a field list from name–value pairs, keeping their order.
    public init(_ fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }

    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> Element { fields[position] }

    /// The value of the first field called `name` (ASCII case-insensitive), or nil.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// The values of every field called `name` (ASCII case-insensitive), in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Whether at least one field is called `name` (ASCII case-insensitive).
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field line at the end.
    public mutating func append(name: String, value: String) { fields.append((name: name, value: value)) }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields.count)
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }

    /// Field names are case-insensitive (RFC 9110 §5.1); they are ASCII tokens, so ASCII folding suffices.
    static func namesMatch(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { HTTPSyntax.lower($0) == HTTPSyntax.lower($1) }
    }
}
