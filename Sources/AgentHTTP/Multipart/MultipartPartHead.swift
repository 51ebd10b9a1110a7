/// One part's header block as RFC 7578 §4 reads it: the field name, the file name and the type.
struct MultipartPartHead: Sendable, Hashable {
    /// The form field name (`Content-Disposition: form-data; name="file"`).
    let name: String
    /// The sender's file name, decoded; nil for a text field. It is the client's text, not a
    /// safe path: never join it to a directory unchecked.
    let filename: String?
    /// The part's `Content-Type`, as sent; nil when absent (RFC 7578 §4.4: text/plain then).
    let contentType: String?

    /// Interprets a part's header fields (names lowercased, in order).
    ///
    /// - Parameter part: the part's 1-based position, for messages.
    /// - Throws: ``MultipartError/Code/malformedPartHeaders`` without a `Content-Disposition:
    ///   form-data` carrying a `name`, or with a parameter that does not parse.
    init(fields: [(name: String, value: String)], part: Int) throws(MultipartError) {
        // RFC 7578 §4.2: each part MUST contain a Content-Disposition header field whose
        // disposition type is "form-data" and which has a "name" parameter.
        guard let dispositionText = fields.first(where: { $0.name == "content-disposition" })?.value else {
            throw .malformedHeaders(part: part, "there is no Content-Disposition header")
        }
        let disposition: HeaderParameters
        do {
            disposition = try HeaderParameters(parsing: dispositionText)
        } catch {
            throw .malformedHeaders(part: part, "the Content-Disposition header does not parse: \(error.reason)")
        }
        guard disposition.value.lowercased() == "form-data" else {
            throw .malformedHeaders(part: part, "the Content-Disposition type must be form-data")
        }
        guard let name = disposition["name"] else {
            throw .malformedHeaders(part: part, "the Content-Disposition header has no name parameter")
        }
        self.name = name
        // RFC 7578 §4.2 says senders must not use RFC 5987's `filename*`, but some do; like
        // RFC 6266 §4.3 we prefer it when its charset is one we read, else fall back to `filename`.
        if let extended = disposition["filename*"] {
            guard let decoded = Self.decodeExtendedValue(extended) else {
                throw .malformedHeaders(part: part, "the filename* parameter is not a valid RFC 8187 ext-value")
            }
            filename = decoded ?? disposition["filename"]
        } else {
            filename = disposition["filename"]
        }
        contentType = fields.first { $0.name == "content-type" }?.value
    }

    /// RFC 8187 §3.2.1: ext-value = charset "'" [ language ] "'" value-chars.
    ///
    /// - Returns: nil when it is malformed; `.some(nil)` for a well-formed value in a charset
    ///   other than UTF-8 or ISO-8859-1 (the two RFC 8187 §3.2.1 requires).
    static func decodeExtendedValue(_ text: String) -> String?? {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        var bytes: [UInt8] = []
        var utf8 = pieces[2].utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                // pct-encoded = "%" HEXDIG HEXDIG
                guard let high = utf8.popFirst().flatMap(Self.hexValue), let low = utf8.popFirst().flatMap(Self.hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        switch pieces[0].lowercased() {
        case "utf-8":
            guard let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
            return .some(decoded)
        case "iso-8859-1":
            return .some(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })))
        default:
            return .some(nil)
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
