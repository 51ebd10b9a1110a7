import Testing
@testable import AgentCore

@Suite struct APIKeyTests {
    @Test func hasTheDocumentedFormat() throws {
        let key = try APIKey.generate()
        #expect(key.plaintext.hasPrefix("anymind_"))
        #expect(key.plaintext.utf8.count == 8 + 43)
        #expect(Base64URL.decode(key.plaintext.dropFirst(8))?.count == 32)
        #expect(APIKey.looksLikeKey(key.plaintext))
    }

    @Test func thousandKeysAreUnique() throws {
        var plaintexts = Set<String>()
        var hashes = Set<String>()
        for _ in 0..<1_000 {
            let key = try APIKey.generate()
            plaintexts.insert(key.plaintext)
            hashes.insert(key.hash)
        }
        #expect(plaintexts.count == 1_000)
        #expect(hashes.count == 1_000)
    }

    @Test func prefixIsTheFirstTwelveCharacters() throws {
        let key = try APIKey.generate()
        #expect(key.prefix.count == 12)
        #expect(key.prefix == String(key.plaintext.prefix(12)))
        #expect(key.prefix.hasPrefix("anymind_"))
        #expect(APIKey.prefix(of: "anymind_abcdefgh") == "anymind_abcd")
    }

    @Test func hashIsLowercaseHexSHA256AndNotThePlaintext() throws {
        let key = try APIKey.generate()
        let hash = key.hash
        #expect(hash.count == 64)
        #expect(hash.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(hash != key.plaintext)
        #expect(!hash.contains(key.plaintext.dropFirst(8)))
        #expect(APIKey.hash(key.plaintext) == hash)
        // FIPS 180-2 "abc" vector, through the same function.
        #expect(APIKey.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func descriptionDoesNotLeakTheKey() throws {
        let key = try APIKey.generate()
        #expect(!"\(key)".contains(key.plaintext))
        #expect("\(key)".contains(key.prefix))
    }

    @Test(arguments: [
        "", "anymind_", "cua_" + String(repeating: "A", count: 43), "anymind_" + String(repeating: "A", count: 42),
        "anymind_" + String(repeating: "A", count: 44), "anymind_" + String(repeating: "A", count: 42) + "=",
        "anymind_" + String(repeating: "A", count: 42) + "B", "anymind_" + String(repeating: "+", count: 43),
        "ANYMIND_" + String(repeating: "A", count: 43),
    ])
    func rejectsLookalikes(candidate: String) {
        #expect(!APIKey.looksLikeKey(candidate))
    }
}
