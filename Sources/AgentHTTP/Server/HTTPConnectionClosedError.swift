/// Thrown by ``HTTPBodyWriter/write(_:)`` and ``UpgradedConnection/write(_:)`` once the peer has
/// gone away, the connection stalled past its write timeout, or the server is shutting down.
public struct HTTPConnectionClosedError: Error, Sendable, Hashable {
    public init() {}
}
