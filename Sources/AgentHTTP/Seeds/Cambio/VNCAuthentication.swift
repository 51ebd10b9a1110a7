import CCrypto

/// VNC Authentication (RFC 6143 §7.2.2): the client proves it knows the password by encrypting
/// the server's 16-byte challenge with DES, keyed by the password.
///
/// The key is the password's first 8 bytes (zero-padded) with the bits of each byte reversed, as
/// every VNC implementation does (RFC 6143 §7.2.2 leaves this out; the errata and RealVNC's
/// sources agree). Single DES is not in OpenSSL 3's default provider, so this uses three-key DES
/// with the same key three times (`DES-EDE3-ECB`), which equals single DES: E(K, D(K, E(K, x))) = E(K, x).
enum VNCAuthentication {
    /// The 16-byte response to `challenge` for `password`, or nil when the challenge is not 16 bytes
    /// or libcrypto fails.
    static func response(to challenge: [UInt8], password: String) -> [UInt8]? {
        guard challenge.count == 16 else { return nil }
        var key = Array(password.utf8.prefix(8))
        key += [UInt8](repeating: 0, count: 8 - key.count)
        key = key.map(reversedBits)
        let tripled = key + key + key
        guard let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_EncryptInit_ex(context, EVP_des_ede3_ecb(), nil, tripled, nil) == 1,
              EVP_CIPHER_CTX_set_padding(context, 0) == 1 else { return nil }
        var output = [UInt8](repeating: 0, count: 32)
        var written: Int32 = 0
        guard EVP_EncryptUpdate(context, &output, &written, challenge, 16) == 1, written == 16 else { return nil }
        return Array(output[0..<16])
    }

    /// `byte` with its bit order reversed (bit 0 becomes bit 7).
    static func reversedBits(_ byte: UInt8) -> UInt8 {
        var input = byte, output: UInt8 = 0
        for _ in 0..<8 {
            output = output << 1 | input & 1
            input >>= 1
        }
        return output
    }
}
