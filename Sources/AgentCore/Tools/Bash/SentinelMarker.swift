/// A marker line the shell prints after each command, found by scanning the output bytes.
///
/// A marker is `prefix`, then (when `carriesStatus`) one to three decimal digits, then `suffix`; for
/// example `\n<<agentd:NONCE:exit:` `0` `>>\n`. The nonce in the prefix is random per shell, so a
/// program's own output cannot end a command early.
struct SentinelMarker: Sendable, Equatable {
    /// The result of scanning bytes for the marker.
    enum Scan: Equatable {
        /// A whole marker occupies `start..<end`; `status` is its number when it carries one.
        case found(start: Int, end: Int, status: Int32?)
        /// The bytes from `start` on could still become a marker once more bytes arrive.
        case partial(start: Int)
        /// No marker, complete or started, at or after the scan's start.
        case notFound
    }

    let prefix: [UInt8]
    let carriesStatus: Bool
    let suffix: [UInt8]

    init(prefix: String, carriesStatus: Bool, suffix: String) {
        precondition(!prefix.isEmpty, "a sentinel marker needs a prefix")
        self.prefix = Array(prefix.utf8)
        self.carriesStatus = carriesStatus
        self.suffix = Array(suffix.utf8)
    }

    /// The longest the marker can be, in bytes.
    var maximumLength: Int { prefix.count + (carriesStatus ? 3 : 0) + suffix.count }

    /// Looks for the first marker that starts at or after `start`.
    func scan(_ bytes: [UInt8], from start: Int) -> Scan {
        let count = bytes.count
        let first = prefix[0]
        var index = max(0, start)
        while index < count {
            guard bytes[index] == first else {
                index += 1
                continue
            }
            switch match(bytes, at: index) {
            case .some(.found(let start, let end, let status)):
                return .found(start: start, end: end, status: status)
            case .some(.partial(let start)):
                return .partial(start: start)
            case .some(.notFound), .none:
                index += 1
            }
        }
        return .notFound
    }

    /// Matches a marker at exactly `start`; nil means "not here".
    private func match(_ bytes: [UInt8], at start: Int) -> Scan? {
        let count = bytes.count
        var position = start
        for byte in prefix {
            guard position < count else { return .partial(start: start) }
            guard bytes[position] == byte else { return nil }
            position += 1
        }
        var status: Int32?
        if carriesStatus {
            // `$?` is 0...255: one to three digits.
            var value: Int32 = 0
            var digits = 0
            while position < count, digits < 3, let digit = Self.digitValue(bytes[position]) {
                value = value * 10 + digit
                digits += 1
                position += 1
            }
            guard position < count else { return .partial(start: start) }
            guard digits > 0 else { return nil }
            status = value
        }
        for byte in suffix {
            guard position < count else { return .partial(start: start) }
            guard bytes[position] == byte else { return nil }
            position += 1
        }
        return .found(start: start, end: position, status: status)
    }

    private static func digitValue(_ byte: UInt8) -> Int32? {
        (0x30...0x39).contains(byte) ? Int32(byte - 0x30) : nil
    }
}
