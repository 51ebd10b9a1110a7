import Testing
@testable import AgentCore

@Suite struct Base64URLTests {
    /// RFC 4648 §10 test vectors, with the padding removed as base64url-for-JWS requires.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
        ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors)
    func encodesAndDecodesRFC4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func usesTheURLSafeAlphabet() {
        // 0xfb 0xff 0xbf is "+/+/" in standard base64.
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
    }

    @Test func roundTripsEveryByteValueAndLength() {
        let bytes = (0...255).map { UInt8($0) }
        for count in 0...bytes.count {
            let slice = Array(bytes.prefix(count))
            #expect(Base64URL.decode(Base64URL.encode(slice)) == slice)
        }
    }

    @Test(arguments: ["Zg==", "Zm8=", "+/+/", "Zm 9v", "Zm9v\n", "Zm9vY", "Zh", "Zm9", "é", "Zm9v.Zg"])
    func refusesPaddingInvalidCharactersAndNonCanonicalText(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
