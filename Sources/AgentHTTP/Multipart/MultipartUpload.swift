/// What ``MultipartFormReader/extractFile(named:from:to:)`` found: the file part's name, type
/// and size, and the body's text fields.
public struct MultipartUpload: Sendable, Hashable {
    /// The file name the client gave (RFC 7578 §4.2, `filename` or `filename*`), decoded; nil
    /// when the part had none. Client text: validate it before using it in a path.
    public let filename: String?
    /// The file part's `Content-Type`, as sent; nil when absent.
    public let contentType: String?
    /// Bytes written to the destination.
    public let byteCount: Int
    /// The other parts without a file name, by field name (the first of repeated names), as
    /// UTF-8 text (invalid sequences replaced). Parts with a file name are skipped.
    public let fields: [String: String]

    public init(filename: String?, contentType: String?, byteCount: Int, fields: [String: String]) {
        self.filename = filename
        self.contentType = contentType
        self.byteCount = byteCount
        self.fields = fields
    }
}
