/// The boundary of a `multipart/form-data` body, taken from its `Content-Type`.
///
/// ```swift
/// let boundary = try MultipartBoundary(contentType: "multipart/form-data; boundary=\"----x y\"")
/// boundary.value      // "----x y"
/// ```
public struct MultipartBoundary: Sendable, Hashable {
    /// The boundary without the leading `--`.
    public let value: String

    /// Validates `value` as a boundary (RFC 2046 §5.1.1).
    /// - Throws: ``MultipartError/Code/noBoundary`` when it is empty, longer than 70 characters,
    ///   uses a character outside `bchars` or ends with a space.
    public init(_ value: String) throws(MultipartError) {
        // RFC 2046 §5.1.1: boundary := 0*69<bchars> bcharsnospace
        let bytes = Array(value.utf8)
        guard (1...70).contains(bytes.count) else {
            throw .noBoundary("the boundary must be 1 to 70 characters long")
        }
        guard bytes.allSatisfy(Self.isBoundaryCharacter) else {
            throw .noBoundary("the boundary contains a character RFC 2046 does not allow")
        }
        guard bytes.last != HTTPSyntax.sp else { throw .noBoundary("the boundary must not end with a space") }
        self.value = value
    }

    /// The boundary of a `multipart/form-data` `Content-Type` value, quoted or not.
    /// - Throws: ``MultipartError/Code/noBoundary`` when the header is missing, another media type,
    ///   malformed, or has no valid `boundary` parameter.
    public init(contentType: String?) throws(MultipartError) {
        guard let contentType else { throw .noBoundary("the request has no Content-Type") }
        let parsed: HeaderParameters
        do {
            parsed = try HeaderParameters(parsing: contentType)
        } catch {
            throw .noBoundary(error.reason)
        }
        // RFC 9110 §8.3.1: type and subtype are case-insensitive. RFC 7578 §4.1: multipart/form-data.
        guard parsed.value.lowercased() == "multipart/form-data" else {
            throw .noBoundary("the Content-Type is not multipart/form-data")
        }
        guard let boundary = parsed["boundary"] else { throw .noBoundary("the boundary parameter is missing") }
        try self.init(boundary)
    }

    /// RFC 2046 §5.1.1: bchars := bcharsnospace / " ", bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")"
    /// / "+" / "_" / "," / "-" / "." / "/" / ":" / "=" / "?".
    private static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "'()+_,-./:=? ".utf8.contains(byte)
        }
    }
}
