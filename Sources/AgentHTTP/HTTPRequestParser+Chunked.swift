// The chunked transfer coding's size line (RFC 9112 §7.1).

extension HTTPRequestParser {
    /// Parses `chunk-size [ chunk-ext ]` and returns the size; extensions are checked and ignored.
    ///
    /// - Throws: 400 for a missing or non-hex size (which covers negative sizes), a size that
    ///   overflows `Int`, or a malformed extension.
    static func parseChunkSizeLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        // RFC 9112 §7.1: chunk-size = 1*HEXDIG.
        var size = 0
        var index = line.startIndex
        while index < line.endIndex, let digit = HTTPSyntax.hexValue(line[index]) {
            guard size <= (Int.max - digit) / 16 else { throw .badRequest("chunk size overflows") }
            size = size * 16 + digit
            index += 1
        }
        guard index > line.startIndex else { throw .badRequest("invalid chunk size") }
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ).
        // Extensions are ignored; we only require that whatever follows the size starts with
        // optional whitespace and ";" and holds no control characters.
        let rest = line[index...]
        if !rest.isEmpty {
            let afterSpace = rest.drop(while: HTTPSyntax.isWhitespace)
            guard afterSpace.first == HTTPSyntax.semicolon, afterSpace.allSatisfy(HTTPSyntax.isFieldValueChar) else {
                throw .badRequest("invalid chunk extension")
            }
        }
        return size
    }
}
