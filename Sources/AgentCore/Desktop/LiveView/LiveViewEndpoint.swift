/// Where a viewer reaches a desktop's screen over RFB (the VNC protocol, RFC 6143).
///
/// The server listens on loopback only and asks for VNC authentication (RFC 6143 §7.2.2) with
/// `password`, which never leaves agentd: the HTTP bridge authenticates on the viewer's behalf.
public struct LiveViewEndpoint: Sendable, Hashable {
    /// Always a loopback address (`127.0.0.1`).
    public var host: String
    /// The TCP port the RFB server accepted on.
    public var port: Int
    /// The per-desktop VNC password (8 characters: RFB's DES key takes at most 8 bytes).
    public var password: String

    public init(host: String, port: Int, password: String) {
        self.host = host
        self.port = port
        self.password = password
    }
}
