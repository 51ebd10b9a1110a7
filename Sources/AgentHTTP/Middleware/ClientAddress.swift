/// The host part of a peer address as `HTTPRequest.remoteAddress` spells it (`127.0.0.1:53122`,
/// `[::1]:53122`), and whether it is a loopback address.
public struct ClientAddress: Sendable, Hashable {
    /// The IP address without the port or brackets; empty when unknown.
    public let host: String

    public init(_ remoteAddress: String) {
        if remoteAddress.hasPrefix("["), let close = remoteAddress.firstIndex(of: "]") {
            host = String(remoteAddress[remoteAddress.index(after: remoteAddress.startIndex)..<close])
        } else if remoteAddress.filter({ $0 == ":" }).count == 1, let colon = remoteAddress.firstIndex(of: ":") {
            host = String(remoteAddress[..<colon])
        } else {
            host = remoteAddress
        }
    }

    /// `127.0.0.0/8` (RFC 1122 §3.2.1.3), `::1` (RFC 4291 §2.5.3), or IPv4-mapped loopback.
    public var isLoopback: Bool {
        let lowered = host.lowercased()
        let v4 = lowered.hasPrefix("::ffff:") ? String(lowered.dropFirst(7)) : lowered
        if v4.hasPrefix("127.") {
            let parts = v4.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
        }
        return lowered == "::1" || lowered == "0:0:0:0:0:0:0:1"
    }
}
