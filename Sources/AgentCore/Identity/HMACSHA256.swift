import CCrypto

/// HMAC-SHA-256 (RFC 2104) from libcrypto's one-shot `HMAC`.
enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    ///
    /// - Throws: `LibcryptoError` only when libcrypto cannot allocate.
    static func authenticate(key: [UInt8], message: [UInt8]) throws(LibcryptoError) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        // libcrypto refuses a NULL key even with length 0, so an empty key points at a spare byte.
        let keyBytes = key.isEmpty ? [0] : key
        let messageBytes = message.isEmpty ? [0] : message
        let succeeded = keyBytes.withUnsafeBytes { keyBuffer in
            messageBytes.withUnsafeBufferPointer { messageBuffer in
                code.withUnsafeMutableBufferPointer { output in
                    HMAC(EVP_sha256(), keyBuffer.baseAddress, Int32(key.count),
                         messageBuffer.baseAddress, message.count, output.baseAddress, &length) != nil
                }
            }
        }
        guard succeeded, length == 32 else { throw LibcryptoError(function: "HMAC") }
        return code
    }
}
