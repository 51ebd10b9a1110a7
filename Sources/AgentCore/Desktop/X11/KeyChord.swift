/// Keys pressed together, in xdotool's `key` syntax: `ctrl+shift+t`, `alt+Tab`, `KP_0`, `super`.
///
/// Pressing a chord presses its keys in order and releases them in reverse. A `key` action's text may hold
/// several chords separated by spaces (`ctrl+a Delete`), which are pressed one after another.
///
/// ```swift
/// let chords = try KeyChord.parseSequence("ctrl+a Delete")   // [[Control_L, a], [Delete]]
/// for chord in chords { try await display.pressChord(chord) }
/// ```
public struct KeyChord: Sendable, Hashable, CustomStringConvertible {
    /// Why a chord could not be parsed.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The text held no key names.
        case empty
        /// A key name is not a known keysym name, alias or single character.
        case invalidKey(String)

        public var description: String {
            switch self {
            case .empty: "Invalid key: no key given"
            case .invalidKey(let name): "Invalid key: \(name)"
            }
        }
    }

    /// The keysyms, in press order.
    public var keysyms: [UInt32]
    /// The names as written (for messages); empty when built from keysyms.
    public var names: [String]

    /// A chord of `keysyms`, pressed in order.
    public init(keysyms: [UInt32]) {
        self.keysyms = keysyms
        self.names = []
    }

    /// Parses one chord: key names joined by `+`. A literal plus is `plus`, a lone `+`, or `++` after another
    /// key (`ctrl++`).
    ///
    /// - Throws: `ParseError.invalidKey` naming the first unknown key, or `.empty`.
    public init(parsing text: String) throws(ParseError) {
        let names = Self.split(text)
        guard !names.isEmpty else { throw .empty }
        var keysyms: [UInt32] = []
        for name in names {
            guard let keysym = Keysyms.lookup(name) else { throw .invalidKey(name) }
            keysyms.append(keysym)
        }
        self.keysyms = keysyms
        self.names = names
    }

    /// Parses a space-separated sequence of chords, as `xdotool key` takes them.
    ///
    /// - Throws: `ParseError.invalidKey` naming the first unknown key, or `.empty` for blank text.
    public static func parseSequence(_ text: String) throws(ParseError) -> [KeyChord] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard !words.isEmpty else { throw .empty }
        var chords: [KeyChord] = []
        for word in words { chords.append(try KeyChord(parsing: String(word))) }
        return chords
    }

    public var description: String {
        names.isEmpty ? keysyms.map { "0x" + String($0, radix: 16) }.joined(separator: "+") : names.joined(separator: "+")
    }

    /// Splits on `+`, reading an empty part followed by another empty part (`++`, a lone `+`) as the key `+`.
    /// A stray empty part (`ctrl+`) is ignored, as xdotool does.
    private static func split(_ text: String) -> [String] {
        let parts = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        var names: [String] = []
        var i = 0
        while i < parts.count {
            if parts[i].isEmpty {
                if i + 1 < parts.count && parts[i + 1].isEmpty {
                    names.append("plus")
                    i += 2
                    continue
                }
            } else {
                names.append(parts[i])
            }
            i += 1
        }
        return names
    }
}
