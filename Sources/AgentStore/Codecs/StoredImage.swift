/// Image bytes taken out of a message, to store once in the `images` table.
struct StoredImage: Sendable, Hashable {
    var sha256: String
    var mediaType: String
    var bytes: [UInt8]
}
