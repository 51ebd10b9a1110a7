import Glibc

/// Why an X11 operation failed.
///
/// The `code` is stable and meant for matching; the `message` is for people. Errors the X server sent
/// back for a request carry the server's numbers in `protocolError`.
///
/// ```swift
/// do { _ = try await X11Display(display: 7, authorityFile: nil) }
/// catch let error as X11Error where error.code == .refused { print(error) } // "X server refused …: Authorization required…"
/// ```
public struct X11Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The display's socket could not be reached.
        public static let connectFailed = Code("connectFailed")
        /// The server answered the connection setup with Failed or Authenticate; the message has its reason.
        public static let refused = Code("refused")
        /// The Xauthority file could not be read or written.
        public static let authority = Code("authority")
        /// The server answered a request with an error packet (see `protocolError`).
        public static let requestFailed = Code("requestFailed")
        /// The server did not answer in time.
        public static let timeout = Code("timeout")
        /// The connection broke (I/O error, end of stream, or a malformed packet); it cannot be used again.
        public static let connectionLost = Code("connectionLost")
        /// The connection was closed by `close()`.
        public static let closed = Code("closed")
        /// A required extension (XTEST) is missing, or the screen format is not one this client handles.
        public static let unsupported = Code("unsupported")
        /// An argument was out of range (a capture region outside the screen, a button number).
        public static let invalidArgument = Code("invalidArgument")
    }

    /// An X11 error packet: the server's error code and the request it refers to.
    public struct ProtocolError: Sendable, Hashable {
        /// The error code (1 Request, 2 Value, 3 Window, 8 Match, 9 Drawable, 10 Access, …).
        public var errorCode: UInt8
        /// The failed request's major opcode (a core opcode, or an extension's major opcode).
        public var majorOpcode: UInt8
        /// The failed request's minor opcode (an extension's request number; 0 for core requests).
        public var minorOpcode: UInt16
        /// The bad resource id or value, when the error has one.
        public var badValue: UInt32
        /// The low 16 bits of the failed request's sequence number.
        public var sequence: UInt16

        /// The core protocol's name for `errorCode`, or `nil` for extension errors.
        public var errorName: String? {
            // X11 protocol, Section 4 "Errors": codes 1–17.
            let names = ["Request", "Value", "Window", "Pixmap", "Atom", "Cursor", "Font", "Match", "Drawable",
                         "Access", "Alloc", "Colormap", "GContext", "IDChoice", "Name", "Length", "Implementation"]
            return (1...17).contains(errorCode) ? names[Int(errorCode) - 1] : nil
        }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for people.
    public let message: String
    /// The server's error packet, for `.requestFailed`.
    public let protocolError: ProtocolError?

    /// Creates an error.
    public init(_ code: Code, _ message: String, protocolError: ProtocolError? = nil) {
        self.code = code
        self.message = message
        self.protocolError = protocolError
    }

    public var description: String { message }

    /// An error for a failed system call, naming it and `errno`'s text.
    static func system(_ code: Code, _ what: String, errno: Int32) -> X11Error {
        X11Error(code, "\(what): \(String(cString: strerror(errno))) (errno \(errno))")
    }

    /// An error for an X11 error packet.
    static func request(_ error: ProtocolError, requestName: String?) -> X11Error {
        let name = error.errorName.map { "Bad\($0)" } ?? "error \(error.errorCode)"
        let request = requestName ?? "request \(error.majorOpcode).\(error.minorOpcode)"
        return X11Error(.requestFailed,
                        "X server returned \(name) for \(request) (major \(error.majorOpcode), "
                            + "minor \(error.minorOpcode), value 0x\(String(error.badValue, radix: 16)))",
                        protocolError: error)
    }
}
