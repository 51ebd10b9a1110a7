import CCrypto

/// SHA-256 digests from libcrypto.
public enum SHA256 {
    /// The digest of `bytes` as lowercase hex.
    ///
    /// API keys are hashed on every request that carries one, so the hex is written straight
    /// into the string's storage rather than built from 32 small strings.
    public static func hex(_ bytes: [UInt8]) -> String {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var length: UInt32 = 0
        withUnsafeMutableBytes(of: &digest) { out in
            bytes.withUnsafeBytes { input in
                _ = EVP_Digest(input.baseAddress, input.count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        return withUnsafeBytes(of: &digest) { digest in
            String(unsafeUninitializedCapacity: 64) { text in
                for (index, byte) in digest.enumerated() {
                    text[2 * index] = hexDigits[Int(byte >> 4)]
                    text[2 * index + 1] = hexDigits[Int(byte & 0x0F)]
                }
                return 64
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
