import Testing
@testable import AgentCore

@Suite struct JSONWebTokenTests {
    let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    let now: Double = 1_700_000_000

    // MARK: - Known vector and round trip

    /// RFC 7515 Appendix A.1: HS256 over a header and payload with CRLFs, keyed by the JWK's `k`.
    @Test func verifiesTheRFC7515AppendixA1Signature() throws {
        let key = try #require(Base64URL.decode(
            "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"))
        let header = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        let payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        let signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let mac = try HMACSHA256.authenticate(key: key, message: Array("\(header).\(payload)".utf8))
        #expect(Base64URL.encode(mac) == signature)

        let token = "\(header).\(payload).\(signature)"
        // The signature and exp pass; the RFC's claims carry no "sub", which agentd requires.
        #expect(throws: TokenError.missingClaim("sub")) {
            try JSONWebToken.verify(token, secret: key, now: 1_300_819_000)
        }
        #expect(throws: TokenError.expired) { try JSONWebToken.verify(token, secret: key, now: 1_300_819_380, leeway: 0) }
        #expect(throws: TokenError.badSignature) { try JSONWebToken.verify(token, secret: secret, now: 1_300_819_000) }
    }

    @Test func signsWithTheFixedHeaderAndRoundTrips() throws {
        let token = try JSONWebToken.sign(claims: ["sub": "user-1", "exp": .int(Int(now) + 3600), "iat": .int(Int(now)),
                                                   "role": "admin"], secret: secret)
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(segments.count == 3)
        #expect(Base64URL.decode(segments[0]) == Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let claims = try JSONWebToken.verify(token, secret: secret, now: now)
        #expect(claims.subject == "user-1")
        #expect(claims.expiresAt == now + 3600)
        #expect(claims.issuedAt == now)
        #expect(claims.notBefore == nil)
        #expect(claims.all["role"] == "admin")
    }

    // MARK: - Algorithm attacks

    @Test func refusesAlgNoneWithAndWithoutSignature() throws {
        let payload = validPayload()
        let unsigned = token(header: #"{"alg":"none","typ":"JWT"}"#, payload: payload, signature: "")
        #expect(throws: TokenError.unsupportedAlgorithm("none")) { try JSONWebToken.verify(unsigned, secret: secret, now: now) }
        let signed = try signedToken(header: #"{"alg":"none","typ":"JWT"}"#, payload: payload)
        #expect(throws: TokenError.unsupportedAlgorithm("none")) { try JSONWebToken.verify(signed, secret: secret, now: now) }
        let capitalised = try signedToken(header: #"{"alg":"None"}"#, payload: payload)
        #expect(throws: TokenError.unsupportedAlgorithm("None")) { try JSONWebToken.verify(capitalised, secret: secret, now: now) }
    }

    @Test(arguments: ["HS512", "HS384", "RS256", "ES256", "PS256", "hs256", ""])
    func refusesEveryOtherAlgorithmEvenWithAValidHS256MAC(alg: String) throws {
        // The MAC is a correct HS256 one under our secret: only the header's claim is wrong,
        // which is exactly the RS256/HS256 key-confusion shape.
        let forged = try signedToken(header: #"{"alg":"\#(alg)","typ":"JWT"}"#, payload: validPayload())
        #expect(throws: TokenError.unsupportedAlgorithm(alg)) { try JSONWebToken.verify(forged, secret: secret, now: now) }
    }

    @Test func refusesHeadersWithoutAStringAlgOrWithCrit() throws {
        let missing = try signedToken(header: #"{"typ":"JWT"}"#, payload: validPayload())
        #expect(throws: TokenError.malformed(#"header has no "alg""#)) { try JSONWebToken.verify(missing, secret: secret, now: now) }
        let numeric = try signedToken(header: #"{"alg":256}"#, payload: validPayload())
        #expect(throws: TokenError.malformed(#"header "alg" is not a string"#)) { try JSONWebToken.verify(numeric, secret: secret, now: now) }
        let crit = try signedToken(header: #"{"alg":"HS256","crit":["exp"]}"#, payload: validPayload())
        #expect(throws: TokenError.malformed("header lists critical extensions, none are supported")) {
            try JSONWebToken.verify(crit, secret: secret, now: now)
        }
    }

    // MARK: - Signature attacks

    @Test func refusesATamperedPayload() throws {
        let genuine = try JSONWebToken.sign(claims: ["sub": "user-1", "exp": .int(Int(now) + 60)], secret: secret)
        let parts = genuine.split(separator: ".").map(String.init)
        let evil = Base64URL.encode(Array(#"{"exp":\#(Int(now) + 60),"sub":"admin"}"#.utf8))
        #expect(throws: TokenError.badSignature) {
            try JSONWebToken.verify("\(parts[0]).\(evil).\(parts[2])", secret: secret, now: now)
        }
    }

    @Test func refusesATamperedTruncatedOrMissingSignature() throws {
        let genuine = try JSONWebToken.sign(claims: ["sub": "user-1", "exp": .int(Int(now) + 60)], secret: secret)
        let parts = genuine.split(separator: ".").map(String.init)
        var mac = try #require(Base64URL.decode(parts[2]))
        mac[31] ^= 0x01
        for signature in [Base64URL.encode(mac), Base64URL.encode(mac.prefix(16)), ""] {
            #expect(throws: TokenError.badSignature) {
                try JSONWebToken.verify("\(parts[0]).\(parts[1]).\(signature)", secret: secret, now: now)
            }
        }
    }

    @Test func refusesTheWrongSecret() throws {
        let genuine = try JSONWebToken.sign(claims: ["sub": "user-1", "exp": .int(Int(now) + 60)], secret: secret)
        let other = Array("0123456789abcdef0123456789abcdeF".utf8)
        #expect(throws: TokenError.badSignature) { try JSONWebToken.verify(genuine, secret: other, now: now) }
        #expect(throws: TokenError.badSignature) { try JSONWebToken.verify(genuine, secret: [], now: now) }
    }

    // MARK: - Time claims

    @Test func refusesExpiredTokensBeyondTheLeeway() throws {
        let token = try JSONWebToken.sign(claims: ["sub": "u", "exp": .int(Int(now) - 61)], secret: secret)
        #expect(throws: TokenError.expired) { try JSONWebToken.verify(token, secret: secret, now: now) }
        #expect(throws: TokenError.expired) { try JSONWebToken.verify(token, secret: secret, now: now, leeway: 0) }
        let recent = try JSONWebToken.sign(claims: ["sub": "u", "exp": .int(Int(now) - 10)], secret: secret)
        #expect(try JSONWebToken.verify(recent, secret: secret, now: now).subject == "u")
        #expect(throws: TokenError.expired) { try JSONWebToken.verify(recent, secret: secret, now: now, leeway: 0) }
    }

    @Test func refusesFutureNotBeforeButAcceptsItWithinLeeway() throws {
        let future = try JSONWebToken.sign(claims: ["sub": "u", "exp": .int(Int(now) + 3600), "nbf": .int(Int(now) + 300)],
                                           secret: secret)
        #expect(throws: TokenError.notYetValid) { try JSONWebToken.verify(future, secret: secret, now: now) }
        let skewed = try JSONWebToken.sign(claims: ["sub": "u", "exp": .int(Int(now) + 3600), "nbf": .int(Int(now) + 20)],
                                           secret: secret)
        #expect(try JSONWebToken.verify(skewed, secret: secret, now: now).notBefore == now + 20)
        #expect(throws: TokenError.notYetValid) { try JSONWebToken.verify(skewed, secret: secret, now: now, leeway: 0) }
    }

    @Test func requiresNumericExpAndANonEmptyStringSub() throws {
        let cases: [([String: JSONValue], TokenError)] = [
            (["sub": "u"], .missingClaim("exp")),
            (["sub": "u", "exp": "tomorrow"], .invalidClaim("exp")),
            (["sub": "u", "exp": true], .invalidClaim("exp")),
            (["sub": "u", "exp": .null], .invalidClaim("exp")),
            (["sub": "u", "exp": .int(Int(now) + 60), "nbf": "soon"], .invalidClaim("nbf")),
            (["sub": "u", "exp": .int(Int(now) + 60), "iat": ["x"]], .invalidClaim("iat")),
            (["exp": .int(Int(now) + 60)], .missingClaim("sub")),
            (["sub": "", "exp": .int(Int(now) + 60)], .invalidClaim("sub")),
            (["sub": 42, "exp": .int(Int(now) + 60)], .invalidClaim("sub")),
        ]
        for (claims, expected) in cases {
            let token = try JSONWebToken.sign(claims: claims, secret: secret)
            #expect(throws: expected) { try JSONWebToken.verify(token, secret: secret, now: now) }
        }
        let fractional = try JSONWebToken.sign(claims: ["sub": "u", "exp": .double(now + 0.5)], secret: secret)
        #expect(try JSONWebToken.verify(fractional, secret: secret, now: now).expiresAt == now + 0.5)
    }

    // MARK: - Malformed tokens

    @Test func refusesTheWrongNumberOfSegments() throws {
        let genuine = try JSONWebToken.sign(claims: ["sub": "u", "exp": .int(Int(now) + 60)], secret: secret)
        let parts = genuine.split(separator: ".").map(String.init)
        let cases = [
            (parts[0], 1), ("\(parts[0]).\(parts[1])", 2), ("\(genuine).\(parts[2])", 4), ("", 1),
            ("\(genuine).a.b", 5),
        ]
        for (token, count) in cases {
            #expect(throws: TokenError.malformed("expected 3 dot-separated segments, found \(count)")) {
                try JSONWebToken.verify(token, secret: secret, now: now)
            }
        }
    }

    @Test func refusesGarbageBase64AndNonObjectJSON() throws {
        let genuine = try JSONWebToken.sign(claims: ["sub": "u", "exp": .int(Int(now) + 60)], secret: secret)
        let parts = genuine.split(separator: ".").map(String.init)
        let cases: [(String, TokenError)] = [
            ("!!!.\(parts[1]).\(parts[2])", .malformed("header is not base64url")),
            ("\(parts[0])=.\(parts[1]).\(parts[2])", .malformed("header is not base64url")),
            ("\(parts[0]).%%%.\(parts[2])", .malformed("payload is not base64url")),
            ("\(parts[0]).\(parts[1]).\(parts[2])==", .malformed("signature is not base64url")),
            ("\(Base64URL.encode(Array("not json".utf8))).\(parts[1]).\(parts[2])", .malformed("header is not JSON")),
            ("\(Base64URL.encode(Array(#"["HS256"]"#.utf8))).\(parts[1]).\(parts[2])", .malformed("header is not a JSON object")),
            ("..", .malformed("header is not JSON")),
        ]
        for (token, expected) in cases {
            #expect(throws: expected) { try JSONWebToken.verify(token, secret: secret, now: now) }
        }
        // Correctly signed but the payload is not a claims object.
        let array = try signedToken(header: #"{"alg":"HS256"}"#, payload: #"[{"sub":"u"}]"#)
        #expect(throws: TokenError.malformed("payload is not a JSON object")) { try JSONWebToken.verify(array, secret: secret, now: now) }
        let text = try signedToken(header: #"{"alg":"HS256"}"#, payload: "sub=u")
        #expect(throws: TokenError.malformed("payload is not JSON")) { try JSONWebToken.verify(text, secret: secret, now: now) }
    }

    @Test func refusesOversizedTokensWithoutParsing() throws {
        let huge = try JSONWebToken.sign(claims: ["sub": .string(String(repeating: "x", count: 10_000)),
                                                  "exp": .int(Int(now) + 60)], secret: secret)
        #expect(throws: TokenError.malformed("token is longer than 8192 bytes")) { try JSONWebToken.verify(huge, secret: secret, now: now) }
    }

    @Test func everyFailureIsA401WithADetail() {
        let errors: [TokenError] = [.malformed("x"), .unsupportedAlgorithm("none"), .badSignature, .missingClaim("sub"),
                                    .invalidClaim("exp"), .expired, .notYetValid]
        for error in errors {
            #expect(error.httpStatus == 401)
            #expect(!error.description.isEmpty)
        }
        #expect(TokenError.unsupportedAlgorithm("none").description.contains("only HS256"))
    }

    // MARK: - Helpers

    private func validPayload() -> String {
        #"{"sub":"user-1","exp":\#(Int(now) + 3600)}"#
    }

    private func token(header: String, payload: String, signature: String) -> String {
        "\(Base64URL.encode(Array(header.utf8))).\(Base64URL.encode(Array(payload.utf8))).\(signature)"
    }

    /// A token over arbitrary header and payload text with a correct HS256 MAC under `secret`.
    private func signedToken(header: String, payload: String) throws -> String {
        let input = "\(Base64URL.encode(Array(header.utf8))).\(Base64URL.encode(Array(payload.utf8)))"
        let mac = try HMACSHA256.authenticate(key: secret, message: Array(input.utf8))
        return "\(input).\(Base64URL.encode(mac))"
    }
}
