import CCrypto

/// Cryptographically secure random bytes from libcrypto's DRBG (`RAND_bytes`).
public enum SecureRandom {
    /// `count` random bytes.
    ///
    /// - Throws: `LibcryptoError` when libcrypto cannot produce them (an unseeded DRBG).
    public static func bytes(_ count: Int) throws(LibcryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(count, 0))
        guard count > 0 else { return bytes }
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else { throw LibcryptoError(function: "RAND_bytes") }
        return bytes
    }
}
