/// Why an ``HTTPServer`` could not start.
public struct HTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed, naming the address where it matters (`127.0.0.1:8080 is already in use`).
    public let message: String
    /// The `errno` of the failing call, or 0.
    public let errno: Int32

    init(_ message: String, errno: Int32 = 0) {
        self.message = message
        self.errno = errno
    }

    public var description: String { message }
}
