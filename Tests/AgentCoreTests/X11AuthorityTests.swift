import Foundation
import Testing
@testable import AgentCore

/// The Xauthority file format and the cookie lookup rules, without a server.
@Suite(.timeLimit(.minutes(2)))
struct X11AuthorityTests {
    private let cookie: [UInt8] = Array(0..<16)

    @Test func serializedBytesFollowTheFileFormat() throws {
        let entry = XAuthority.Entry(family: 256, address: Array("box".utf8), number: "7",
                                     name: "MIT-MAGIC-COOKIE-1", data: [0xAB, 0xCD])
        let bytes = XAuthority(entries: [entry]).serialized
        // Big-endian family, then length-prefixed address, number, name, data.
        let expected: [UInt8] = [0x01, 0x00, 0x00, 0x03] + Array("box".utf8) + [0x00, 0x01] + Array("7".utf8)
            + [0x00, 0x12] + Array("MIT-MAGIC-COOKIE-1".utf8) + [0x00, 0x02, 0xAB, 0xCD]
        #expect(bytes == expected)
        #expect(try XAuthority(parsing: bytes).entries == [entry])
    }

    @Test func roundTripsSeveralEntries() throws {
        let entries = [
            XAuthority.Entry(family: 0, address: [127, 0, 0, 1], number: "0", name: "XDM-AUTHORIZATION-1", data: [1, 2, 3]),
            XAuthority.Entry(family: 0xFFFF, address: [], number: "", name: "MIT-MAGIC-COOKIE-1", data: cookie),
            XAuthority.Entry(family: 256, address: Array("h".utf8), number: "12", name: "MIT-MAGIC-COOKIE-1", data: []),
        ]
        let file = XAuthority(entries: entries)
        #expect(try XAuthority(parsing: file.serialized) == file)
    }

    @Test func truncatedDataIsAnError() throws {
        let bytes = XAuthority(entries: [XAuthority.Entry(family: 0xFFFF, address: [], number: "", name: "MIT-MAGIC-COOKIE-1",
                                                          data: cookie)]).serialized
        for cut in 1..<bytes.count {
            #expect(throws: X11Error.self) { try XAuthority(parsing: Array(bytes.prefix(cut))) }
        }
    }

    @Test func lookupMatchesLocalHostAndWildcardEntries() {
        let mine: [UInt8] = Array(repeating: 1, count: 16)
        let wild: [UInt8] = Array(repeating: 2, count: 16)
        let file = XAuthority(entries: [
            .init(family: 256, address: Array("other".utf8), number: "3", name: "MIT-MAGIC-COOKIE-1", data: [9]),
            .init(family: 256, address: Array("box".utf8), number: "4", name: "MIT-MAGIC-COOKIE-1", data: [8]),
            .init(family: 256, address: Array("box".utf8), number: "3", name: "XDM-AUTHORIZATION-1", data: [7]),
            .init(family: 0, address: [127, 0, 0, 1], number: "3", name: "MIT-MAGIC-COOKIE-1", data: [6]),
            .init(family: 256, address: Array("box".utf8), number: "3", name: "MIT-MAGIC-COOKIE-1", data: mine),
            .init(family: 0xFFFF, address: [], number: "", name: "MIT-MAGIC-COOKIE-1", data: wild),
        ])
        #expect(file.cookie(forDisplay: 3, hostname: "box") == mine) // FamilyLocal, this host, this display
        #expect(file.cookie(forDisplay: 4, hostname: "box") == [8])
        #expect(file.cookie(forDisplay: 5, hostname: "box") == wild) // only the wildcard matches :5
        #expect(file.cookie(forDisplay: 3, hostname: "elsewhere") == wild)
        #expect(XAuthority(entries: []).cookie(forDisplay: 0, hostname: "box") == nil)
    }

    @Test func emptyDisplayNumberMatchesAnyDisplayAndFirstMatchWins() {
        let file = XAuthority(entries: [
            .init(family: 256, address: Array("box".utf8), number: "", name: "MIT-MAGIC-COOKIE-1", data: [1]),
            .init(family: 0xFFFF, address: [], number: "9", name: "MIT-MAGIC-COOKIE-1", data: [2]),
        ])
        #expect(file.cookie(forDisplay: 9, hostname: "box") == [1])
        #expect(file.cookie(forDisplay: 9, hostname: "other") == [2])
        #expect(file.cookie(forDisplay: 8, hostname: "other") == nil)
    }

    @Test func wildcardCookieFileIsPrivateAndParses() throws {
        let directory = NSTemporaryDirectory() + "xauth-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/Xauthority"
        let cookie = XAuthority.randomCookie()
        try XAuthority.writeWildcardCookie(to: path, cookie: cookie)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let file = try XAuthority(contentsOf: path)
        #expect(file.entries == [XAuthority.Entry(family: 0xFFFF, address: [], number: "", name: "MIT-MAGIC-COOKIE-1",
                                                  data: cookie)])
        #expect(file.cookie(forDisplay: 42) == cookie)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["Xauthority"]) // no temp file left

        // Overwriting keeps the mode and replaces the cookie.
        let second = XAuthority.randomCookie()
        try XAuthority.writeWildcardCookie(to: path, cookie: second)
        #expect(try XAuthority(contentsOf: path).cookie(forDisplay: 0) == second)
    }

    @Test func randomCookiesAreSixteenFreshBytes() {
        let cookies = (0..<8).map { _ in XAuthority.randomCookie() }
        #expect(cookies.allSatisfy { $0.count == 16 })
        #expect(Set(cookies).count == 8)
    }

    @Test func unreadableFileIsAnAuthorityError() {
        #expect {
            try XAuthority(contentsOf: "/nonexistent/Xauthority")
        } throws: { ($0 as? X11Error)?.code == .authority }
    }

    @Test func displayNamesParse() {
        #expect(X11Display.displayNumber(parsing: ":3") == 3)
        #expect(X11Display.displayNumber(parsing: ":12.0") == 12)
        #expect(X11Display.displayNumber(parsing: "unix:5") == 5)
        #expect(X11Display.displayNumber(parsing: "localhost:5") == nil)
        #expect(X11Display.displayNumber(parsing: ":") == nil)
        #expect(X11Display.displayNumber(parsing: ":1.x") == nil)
        #expect(X11Display.displayNumber(parsing: "3") == nil)
    }
}
