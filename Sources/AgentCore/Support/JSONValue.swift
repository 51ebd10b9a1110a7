/// A JSON document as a Swift value.
///
/// Everything that crosses the Messages API wire is carried as `JSONValue` at some point, so unknown
/// fields and block types survive a round trip unchanged. Integers and floating-point numbers are kept
/// apart so that `{"x": 3}` is written back as `3`, never `3.0`.
///
/// ```swift
/// let value = try JSONValue(parsing: #"{"action":"left_click","coordinate":[10,20]}"#)
/// value["action"]?.stringValue       // "left_click"
/// value["coordinate"]?[1]?.intValue  // 20
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

// MARK: - Accessors

extension JSONValue {
    /// The member named `key` when this is an object. Setting a member of anything but an object
    /// does nothing; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let members) = self { return members[key] }
            return nil
        }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` when this is an array and the index is in range.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer value; a floating-point number with no fractional part also counts.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool { self == .null }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - Text

extension JSONValue: CustomStringConvertible {
    /// Compact JSON with sorted keys.
    public var description: String { serialized() }

    /// Parses UTF-8 JSON text.
    ///
    /// - Throws: `JSONParseError` naming the byte offset of the first problem.
    public init(parsing text: String) throws {
        self = try JSONParser.parse(Array(text.utf8))
    }

    /// Parses UTF-8 JSON bytes.
    public init(parsing bytes: some Collection<UInt8>) throws {
        self = try JSONParser.parse(Array(bytes))
    }

    /// Compact JSON text with object keys sorted, so equal values always serialize to equal bytes
    /// (prompt-cache prefixes depend on that).
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// Compact JSON as UTF-8 bytes, object keys sorted.
    public func serializedBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }
}
