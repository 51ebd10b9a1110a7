/// Renders JSON values the way Python's `repr` prints the parsed value, so validation messages read
/// exactly like the reference demo's (`scroll_amount=-1`, `[100] must be a tuple of length 2`).
enum PythonRepr {
    static func repr(_ value: JSONValue?) -> String {
        guard let value else { return "None" }
        switch value {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            return d.rounded() == d && abs(d) < 1e16 ? "\(Int(d)).0" : "\(d)"
        case .string(let s): return PythonText.repr(s)
        case .array(let items): return "[" + items.map { repr($0) }.joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { "\(PythonText.repr($0)): \(repr(members[$0]))" }.joined(separator: ", ") + "}"
        }
    }
}
