import Glibc

/// The entries of an Xauthority file, and the cookie lookup X clients do with it.
///
/// The file is a sequence of entries, each a big-endian `UInt16` family followed by four
/// `UInt16`-length-prefixed byte strings: address, display number (ASCII digits), auth name and auth data.
/// The desktop manager writes one wildcard entry before it starts `Xvfb -auth FILE -displayfd FD`, since the
/// display number is not known in advance:
///
/// ```swift
/// let cookie = XAuthority.randomCookie()
/// try XAuthority.writeWildcardCookie(to: "/run/agentd/s1/Xauthority", cookie: cookie)
/// ```
public struct XAuthority: Sendable, Hashable {
    /// One Xauthority entry.
    public struct Entry: Sendable, Hashable {
        /// The address family: 256 FamilyLocal (address = host name), 65535 FamilyWild, 0 Internet, …
        public var family: UInt16
        /// The address; for FamilyLocal the host name.
        public var address: [UInt8]
        /// The display number as ASCII digits, or empty for "any display".
        public var number: String
        /// The authorization protocol name, e.g. `MIT-MAGIC-COOKIE-1`.
        public var name: String
        /// The authorization data (the 16-byte cookie).
        public var data: [UInt8]

        /// Creates an entry.
        public init(family: UInt16, address: [UInt8], number: String, name: String, data: [UInt8]) {
            self.family = family
            self.address = address
            self.number = number
            self.name = name
            self.data = data
        }
    }

    /// FamilyLocal: a local connection; the address is the host name.
    public static let familyLocal: UInt16 = 256
    /// FamilyWild: matches any address.
    public static let familyWild: UInt16 = 0xFFFF
    /// The only authorization protocol this client speaks.
    public static let magicCookieName = "MIT-MAGIC-COOKIE-1"

    /// The entries, in file order.
    public var entries: [Entry]

    /// Creates a file's contents from entries.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Parses Xauthority bytes.
    ///
    /// - Throws: `X11Error` with code `.authority` when an entry is truncated.
    public init(parsing bytes: [UInt8]) throws(X11Error) {
        var entries: [Entry] = []
        var offset = 0
        func u16() throws(X11Error) -> Int {
            guard offset + 2 <= bytes.count else { throw X11Error(.authority, "Xauthority data is truncated") }
            defer { offset += 2 }
            return Int(bytes[offset]) << 8 | Int(bytes[offset + 1]) // big-endian
        }
        func counted() throws(X11Error) -> [UInt8] {
            let length = try u16()
            guard offset + length <= bytes.count else { throw X11Error(.authority, "Xauthority data is truncated") }
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }
        while offset < bytes.count {
            let family = UInt16(try u16())
            let address = try counted()
            let number = String(decoding: try counted(), as: UTF8.self)
            let name = String(decoding: try counted(), as: UTF8.self)
            let data = try counted()
            entries.append(Entry(family: family, address: address, number: number, name: name, data: data))
        }
        self.entries = entries
    }

    /// Reads and parses the Xauthority file at `path`.
    ///
    /// - Throws: `X11Error` with code `.authority` when the file cannot be read or is malformed.
    public init(contentsOf path: String) throws(X11Error) {
        try self.init(parsing: try Self.readFile(path))
    }

    /// The file's bytes: each entry as family, address, number, name and data.
    public var serialized: [UInt8] {
        var out: [UInt8] = []
        func put16(_ value: Int) { out.append(UInt8(truncatingIfNeeded: value >> 8)); out.append(UInt8(truncatingIfNeeded: value)) }
        func counted(_ bytes: [UInt8]) { put16(bytes.count); out.append(contentsOf: bytes) }
        for entry in entries {
            put16(Int(entry.family))
            counted(entry.address)
            counted(Array(entry.number.utf8))
            counted(Array(entry.name.utf8))
            counted(entry.data)
        }
        return out
    }

    /// The MIT-MAGIC-COOKIE-1 data for `display`, as Xlib's `XauGetBestAuthByAddr` picks it for a local
    /// connection: the first entry that is FamilyLocal with this host's name or FamilyWild, whose display number
    /// equals `display` or is empty.
    ///
    /// - Parameters:
    ///   - display: The display number (`3` for `:3`).
    ///   - hostname: The host name FamilyLocal entries must carry; defaults to `gethostname()`.
    public func cookie(forDisplay display: Int, hostname: String? = nil) -> [UInt8]? {
        let host = Array((hostname ?? Self.currentHostname()).utf8)
        let number = String(display)
        return entries.first { entry in
            let addressMatches = entry.family == Self.familyWild || (entry.family == Self.familyLocal && entry.address == host)
            return addressMatches && (entry.number.isEmpty || entry.number == number) && entry.name == Self.magicCookieName
        }?.data
    }

    /// Writes an Xauthority file holding one FamilyWild entry (empty address, empty display number,
    /// MIT-MAGIC-COOKIE-1, `cookie`), readable only by its owner (mode 0600).
    ///
    /// The file is written to a temporary name beside `path` and renamed into place, so a server never reads a
    /// half-written file.
    ///
    /// - Throws: `X11Error` with code `.authority` when the file cannot be written.
    public static func writeWildcardCookie(to path: String, cookie: [UInt8]) throws(X11Error) {
        let entry = Entry(family: familyWild, address: [], number: "", name: magicCookieName, data: cookie)
        let bytes = XAuthority(entries: [entry]).serialized
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system(.authority, "cannot create \(temporary)", errno: errno) }
        var failure: X11Error?
        if fchmod(fd, 0o600) != 0 { failure = .system(.authority, "cannot chmod \(temporary)", errno: errno) }
        var written = 0
        while failure == nil && written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { failure = .system(.authority, "cannot write \(temporary)", errno: errno) } else { written += n }
        }
        if close(fd) != 0 && failure == nil { failure = .system(.authority, "cannot close \(temporary)", errno: errno) }
        if failure == nil && rename(temporary, path) != 0 { failure = .system(.authority, "cannot rename to \(path)", errno: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// 16 random bytes for a MIT-MAGIC-COOKIE-1, from the system's cryptographically secure generator
    /// (`getrandom(2)` on Linux).
    public static func randomCookie() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Xlib's default file: `$XAUTHORITY`, else `$HOME/.Xauthority`.
    public static var defaultPath: String? {
        if let path = getenv("XAUTHORITY"), path.pointee != 0 { return String(cString: path) }
        if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) + "/.Xauthority" }
        return nil
    }

    // MARK: - Private

    static func currentHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readFile(_ path: String) throws(X11Error) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(.authority, "cannot open Xauthority file \(path)", errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .system(.authority, "cannot read Xauthority file \(path)", errno: errno) }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}
