/// Strict UTF-8 validation that reports the first problem in the words of Python's decoder, which
/// the reference's `Path.read_text()` raises for a file that is not UTF-8 (reference §6.4 "I/O errors").
///
/// ```swift
/// PythonUTF8.decodingError(in: [0x61, 0xFF])
/// // "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte"
/// ```
enum PythonUTF8 {
    /// The message of the `UnicodeDecodeError` Python raises for `bytes`, or nil when they are valid
    /// UTF-8 (no surrogates, no overlong forms, nothing above U+10FFFF).
    static func decodingError(in bytes: [UInt8]) -> String? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            guard lead >= 0xC2 && lead <= 0xF4 else {
                return message(bytes, start: index, end: index + 1, reason: "invalid start byte")
            }
            let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            for offset in 1..<length {
                guard index + offset < bytes.count else {
                    return message(bytes, start: index, end: bytes.count, reason: "unexpected end of data")
                }
                guard isValidContinuation(bytes[index + offset], lead: lead, offset: offset) else {
                    return message(bytes, start: index, end: index + offset, reason: "invalid continuation byte")
                }
            }
            index += length
        }
        return nil
    }

    /// Whether `byte` may follow `lead` at `offset`: a continuation byte, and for the second byte the
    /// narrower ranges that exclude overlong forms, surrogates and code points above U+10FFFF.
    private static func isValidContinuation(_ byte: UInt8, lead: UInt8, offset: Int) -> Bool {
        guard byte & 0xC0 == 0x80 else { return false }
        guard offset == 1 else { return true }
        switch lead {
        case 0xE0: return byte >= 0xA0
        case 0xED: return byte < 0xA0
        case 0xF0: return byte >= 0x90
        case 0xF4: return byte < 0x90
        default: return true
        }
    }

    /// `UnicodeDecodeError.__str__`: one byte is shown by value, a longer range by positions.
    private static func message(_ bytes: [UInt8], start: Int, end: Int, reason: String) -> String {
        if end - start == 1 {
            let hex = String(bytes[start], radix: 16)
            let byte = hex.count == 1 ? "0" + hex : hex
            return "'utf-8' codec can't decode byte 0x\(byte) in position \(start): \(reason)"
        }
        return "'utf-8' codec can't decode bytes in position \(start)-\(end - 1): \(reason)"
    }
}
