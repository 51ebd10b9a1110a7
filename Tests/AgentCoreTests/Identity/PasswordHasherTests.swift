import Testing
@testable import AgentCore

@Suite struct PasswordHasherTests {
    /// Low cost keeps the suite fast; the production default is checked separately.
    let hasher = PasswordHasher(iterations: 1_000)

    @Test func defaultCostMeetsOWASPFloor() {
        #expect(PasswordHasher.defaultIterations >= 600_000)
        #expect(PasswordHasher().iterations >= 600_000)
    }

    /// RFC 7914 §11 (PBKDF2-HMAC-SHA256 vectors) and the widely published ("password", "salt") vectors.
    @Test(arguments: [
        ("passwd", "salt", 1, 64,
         "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
        ("Password", "NaCl", 80_000, 64,
         "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
        ("password", "salt", 1, 32, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
        ("password", "salt", 4096, 32, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
    ])
    func derivesPublishedVectors(password: String, salt: String, iterations: Int, length: Int, expected: String) throws {
        let key = try PasswordHasher.derive(password: Array(password.utf8), salt: Array(salt.utf8),
                                            iterations: iterations, length: length)
        #expect(hex(key) == expected)
    }

    @Test func hashIsSelfDescribingAndSalted() throws {
        let first = try hasher.hash("correct horse battery staple")
        let second = try hasher.hash("correct horse battery staple")
        #expect(first != second)
        let fields = first.split(separator: "$").map(String.init)
        #expect(fields.count == 4)
        #expect(fields[0] == "pbkdf2-sha256")
        #expect(fields[1] == "1000")
        #expect(Base64URL.decode(fields[2])?.count == 16)
        #expect(Base64URL.decode(fields[3])?.count == 32)
        #expect(!first.contains("correct horse"))
    }

    @Test func verifiesTheRightPasswordOnly() throws {
        let stored = try hasher.hash("correct horse battery staple")
        #expect(hasher.verify("correct horse battery staple", against: stored))
        #expect(!hasher.verify("correct horse battery stapl", against: stored))
        #expect(!hasher.verify("Correct horse battery staple", against: stored))
        #expect(!hasher.verify("", against: stored))
    }

    @Test func handlesEmptyAndUnicodePasswords() throws {
        let empty = try hasher.hash("")
        #expect(hasher.verify("", against: empty))
        let unicode = try hasher.hash("pässwörd 🔑")
        #expect(hasher.verify("pässwörd 🔑", against: unicode))
        #expect(!hasher.verify("passwörd 🔑", against: unicode))
    }

    @Test func verifiesAtTheStoredCostNotTheCurrentOne() throws {
        let stored = try PasswordHasher(iterations: 500).hash("pw")
        #expect(hasher.verify("pw", against: stored))
    }

    @Test func refusesTamperedStoredStrings() throws {
        let stored = try hasher.hash("pw")
        let fields = stored.split(separator: "$").map(String.init)
        var flippedKey = Base64URL.decode(fields[3])!
        flippedKey[0] ^= 1
        let tampered = [
            "",
            "pw",
            "pbkdf2-sha256$1000$\(fields[2])",
            stored + "$extra",
            "pbkdf2-sha512$1000$\(fields[2])$\(fields[3])",
            "pbkdf2-sha256$999$\(fields[2])$\(fields[3])",
            "pbkdf2-sha256$01000$\(fields[2])$\(fields[3])",
            "pbkdf2-sha256$-1000$\(fields[2])$\(fields[3])",
            "pbkdf2-sha256$0$\(fields[2])$\(fields[3])",
            "pbkdf2-sha256$99999999999999999999$\(fields[2])$\(fields[3])",
            "pbkdf2-sha256$abc$\(fields[2])$\(fields[3])",
            "pbkdf2-sha256$1000$\(fields[2])=$\(fields[3])",
            "pbkdf2-sha256$1000$!!!$\(fields[3])",
            "pbkdf2-sha256$1000$\(fields[2])$",
            "pbkdf2-sha256$1000$$\(fields[3])",
            "pbkdf2-sha256$1000$\(fields[2])$\(Base64URL.encode(flippedKey))",
            "pbkdf2-sha256$1000$\(Base64URL.encode([1, 2, 3]))$\(fields[3])",
        ]
        for text in tampered {
            #expect(!hasher.verify("pw", against: text), "accepted \(text)")
        }
        #expect(throws: PasswordHashFormatError.self) { try PasswordHash(parsing: "pbkdf2-sha256$1000$x") }
        // A cost far above the ceiling is refused before any work is done.
        #expect(throws: PasswordHashFormatError.self) {
            try PasswordHash(parsing: "pbkdf2-sha256$99999999$\(fields[2])$\(fields[3])")
        }
    }

    @Test func parsesAndReencodesTheStoredForm() throws {
        let stored = try hasher.hash("pw")
        let parsed = try PasswordHash(parsing: stored)
        #expect(parsed.iterations == 1_000)
        #expect(parsed.encoded == stored)
    }

    @Test func detectsWhenARehashIsNeeded() throws {
        let weak = try PasswordHasher(iterations: 500).hash("pw")
        let current = try hasher.hash("pw")
        let stronger = try PasswordHasher(iterations: 2_000).hash("pw")
        #expect(hasher.needsRehash(weak))
        #expect(!hasher.needsRehash(current))
        #expect(!hasher.needsRehash(stronger))
        #expect(hasher.needsRehash("garbage"))
        let shortSalt = try PasswordHash(iterations: 1_000, salt: [UInt8](repeating: 7, count: 8),
                                         derivedKey: [UInt8](repeating: 9, count: 32))
        #expect(hasher.needsRehash(shortSalt.encoded))
    }

    @Test func unknownUserCheckNeverMatches() {
        #expect(!hasher.verifyUnknownUser("pw"))
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
