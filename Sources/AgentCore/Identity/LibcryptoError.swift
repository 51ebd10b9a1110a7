/// A libcrypto call failed for a reason unrelated to its input (no entropy, no memory).
///
/// Callers fail the request with a 500; they never fall back to a weaker primitive.
public struct LibcryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libcrypto function that failed, such as `RAND_bytes`.
    public let function: String

    public var description: String { "libcrypto \(function) failed" }
}
