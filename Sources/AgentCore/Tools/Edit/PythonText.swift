#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Text operations with the semantics of Python's `str`, which the reference editor is written with:
/// lengths, columns and searches count Unicode code points (never grapheme clusters), and line
/// splitting looks at `"\n"` alone.
enum PythonText {
    /// `str.split("\n")`: every `"\n"` ends a line, and the text after the last one is a line too.
    static func lines(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// `"\n".join(lines)`.
    static func joinLines<S: Sequence>(_ lines: S) -> String where S.Element == String {
        lines.joined(separator: "\n")
    }

    /// `str.expandtabs(8)`: a tab advances to the next multiple of 8 columns; `"\n"` and `"\r"`
    /// reset the column; every other code point is one column.
    static func expandTabs(_ text: String, tabSize: Int = 8) -> String {
        guard text.utf8.contains(UInt8(ascii: "\t")) else { return text }
        var out = String.UnicodeScalarView()
        var column = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\t":
                let width = tabSize - column % tabSize
                out.append(contentsOf: repeatElement(" " as Unicode.Scalar, count: width))
                column += width
            case "\n", "\r":
                out.append(scalar)
                column = 0
            default:
                out.append(scalar)
                column += 1
            }
        }
        return String(out)
    }

    /// The first `count` code points of `text`, or nil when `text` is no longer than that.
    static func prefix(_ text: String, codePoints count: Int) -> String? {
        guard text.utf8.count > count else { return nil }
        let scalars = text.unicodeScalars
        guard let end = scalars.index(scalars.startIndex, offsetBy: count, limitedBy: scalars.endIndex),
            end != scalars.endIndex
        else { return nil }
        return String(scalars[..<end])
    }

    /// `haystack.count(needle)`: non-overlapping occurrences, counted from the left. As in Python, the
    /// empty string occurs once more than there are code points.
    static func count(of needle: String, in haystack: String) -> Int {
        if needle.isEmpty { return haystack.unicodeScalars.count + 1 }
        let hay = Array(haystack.utf8)
        let pattern = Array(needle.utf8)
        var total = 0
        var start = 0
        while let found = find(pattern, in: hay, from: start) {
            total += 1
            start = found + pattern.count
        }
        return total
    }

    /// `needle in haystack`.
    static func contains(_ needle: String, in haystack: String) -> Bool {
        needle.isEmpty || find(Array(needle.utf8), in: Array(haystack.utf8), from: 0) != nil
    }

    /// The UTF-8 offset of the first occurrence of `needle` in `haystack`. Because UTF-8 is
    /// self-synchronizing, a byte match of valid UTF-8 is a code-point match.
    static func firstOffset(of needle: String, in haystack: String) -> Int? {
        if needle.isEmpty { return 0 }
        return find(Array(needle.utf8), in: Array(haystack.utf8), from: 0)
    }

    /// Python's `repr()` of a string, as `OSError` prints a file name: single quotes unless the text
    /// holds a single quote and no double quote; backslashes, the quote, `\t`, `\n`, `\r` and
    /// non-printable code points escaped.
    static func repr(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let quote: Unicode.Scalar = scalars.contains("'") && !scalars.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case quote: out += "\\" + String(quote)
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += escape(scalar)
                }
            }
        }
        out.unicodeScalars.append(quote)
        return out
    }

    /// Python's `repr()` of a list of ints: `[1, 2, 3]`.
    static func repr(_ list: [Int]) -> String {
        "[" + list.map(String.init).joined(separator: ", ") + "]"
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value != 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        let (marker, width) = scalar.value <= 0xFF ? ("x", 2) : scalar.value <= 0xFFFF ? ("u", 4) : ("U", 8)
        return "\\" + marker + String(repeating: "0", count: max(0, width - hex.count)) + hex
    }

    /// The offset of the first occurrence of `pattern` in `hay` at or after `start`: a scan for the
    /// first byte, then `memcmp` of the rest.
    private static func find(_ pattern: [UInt8], in hay: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, hay.count - start >= pattern.count else { return nil }
        return hay.withUnsafeBytes { hayBuffer in
            pattern.withUnsafeBytes { patternBuffer -> Int? in
                let first = pattern[0]
                let last = hay.count - pattern.count
                var index = start
                while index <= last {
                    guard let hit = hayBuffer[index...last].firstIndex(of: first) else { return nil }
                    if memcmp(hayBuffer.baseAddress! + hit, patternBuffer.baseAddress!, pattern.count) == 0 {
                        return hit
                    }
                    index = hit + 1
                }
                return nil
            }
        }
    }
}
