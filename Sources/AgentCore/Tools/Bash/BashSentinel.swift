/// How one command is framed on the shell's stdin, and the marker lines that end its output.
///
/// The reference demo writes `<command>; echo '<<exit>>'` and waits for `<<exit>>` on stdout
/// (reference §6.3). That marker can be printed by the command itself, loses the exit status and
/// ignores stderr. Here each command is sent as
///
/// ```bash
/// builtin eval -- '<command, single-quoted>' < /dev/null
/// builtin printf '\n<<agentd:NONCE:exit:%d>>\n' "$?"; builtin printf '\n<<agentd:NONCE:done>>\n' >&2
/// ```
///
/// - `eval` runs the command in the shell itself, so `cd` and `export` persist, while a syntax error
///   or an unclosed quote fails that command instead of swallowing the marker line (or, for a
///   non-interactive bash, ending the shell).
/// - `< /dev/null` gives the command an empty stdin. The shell's own stdin is the command pipe, so
///   without it `cat` or `read` would eat the marker line and hang until the timeout.
/// - The nonce is random per shell, so program output cannot fake the end of a command.
struct BashSentinel: Sendable {
    let nonce: String
    /// Printed on stdout after the command, with its exit status.
    let stdoutMarker: SentinelMarker
    /// Printed on stderr after the stdout marker.
    let stderrMarker: SentinelMarker

    /// - Parameter nonce: Letters and digits only; a fresh random one by default.
    init(nonce: String = BashSentinel.randomNonce()) {
        precondition(nonce.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "nonce must be alphanumeric")
        self.nonce = nonce
        stdoutMarker = SentinelMarker(prefix: "\n<<agentd:\(nonce):exit:", carriesStatus: true, suffix: ">>\n")
        stderrMarker = SentinelMarker(prefix: "\n<<agentd:\(nonce):done>>\n", carriesStatus: false, suffix: "")
    }

    /// The bytes to write to the shell's stdin to run `command`.
    func script(for command: String) -> [UInt8] {
        // The leading "\n" in each marker ends a last line the command left unterminated; the demo's rule
        // "strip one trailing \n" (reference §6.3) then gives the same text as the demo's `; echo` framing.
        let text = "builtin eval -- \(Self.singleQuoted(command)) < /dev/null\n"
            + "builtin printf '\\n<<agentd:\(nonce):exit:%d>>\\n' \"$?\"; "
            + "builtin printf '\\n<<agentd:\(nonce):done>>\\n' >&2\n"
        return Array(text.utf8)
    }

    /// `text` as one single-quoted bash word. NUL bytes, which bash cannot hold in a string, are removed.
    static func singleQuoted(_ text: String) -> String {
        var quoted = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": quoted += #"'\''"#
            case "\0": continue
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "'"
    }

    /// 32 hexadecimal digits from the system's secure random source.
    static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let value = generator.next() as UInt64
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
