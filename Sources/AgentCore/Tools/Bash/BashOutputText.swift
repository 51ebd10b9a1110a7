/// Turns captured output bytes into the text the model sees.
enum BashOutputText {
    /// Decodes `captured` as UTF-8 (invalid bytes become U+FFFD), strips one trailing newline and clips
    /// the result to `limit` characters.
    static func render(_ captured: CapturedBytes, limit: Int) -> String {
        var text = String(decoding: captured.bytes, as: UTF8.self)
        // reference §6.3: "Strip one trailing \n from stdout and from stderr."
        // Scalar-wise, so a trailing "\r\n" (one Character) keeps its "\r", as in Python.
        if text.unicodeScalars.last == "\n" { text.unicodeScalars.removeLast() }
        return clip(text, to: limit, force: captured.droppedByteCount > 0)
    }

    /// Keeps the first `limit` characters and appends the clip notice when `text` is longer (or when
    /// `force` says bytes were already discarded while reading).
    ///
    /// Characters are Unicode scalars, as Python's `len` counts them (reference §6.4 "Truncation": over
    /// `MAX_RESPONSE_LEN`, keep the first 16000 and append the notice).
    static func clip(_ text: String, to limit: Int, force: Bool = false) -> String {
        let scalars = text.unicodeScalars
        guard force || scalars.count > limit else { return text }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars.prefix(limit))
        return String(kept) + BashMessages.clipped
    }
}
