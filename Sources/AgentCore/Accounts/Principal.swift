/// Who a request acts for, once its credential has been checked.
public struct Principal: Sendable, Hashable {
    /// How the caller proved who they are.
    public enum Credential: String, Sendable, Hashable {
        /// A login token (JWT).
        case token
        /// An API key.
        case apiKey
        /// A single-use stream ticket (WebSocket and SSE from browsers).
        case ticket
        /// No authentication (`--auth none` on loopback): the one local user.
        case local
    }

    /// The user's id; 0 for the local user of `--auth none`.
    public var userID: Int
    /// Sees and manages every user's objects.
    public var isAdmin: Bool
    public var credential: Credential

    public init(userID: Int, isAdmin: Bool, credential: Credential) {
        self.userID = userID
        self.isAdmin = isAdmin
        self.credential = credential
    }

    /// The local user of `--auth none`: owns what it makes (owner `""`, as before accounts existed)
    /// and sees everything.
    public static let local = Principal(userID: 0, isAdmin: true, credential: .local)

    /// The owner string of objects this principal creates (`""` for the local user).
    public var owner: String { credential == .local ? "" : String(userID) }

    /// Whether this principal may see an object with `owner`.
    public func canSee(owner: String) -> Bool { isAdmin || owner == self.owner }

    /// The owner filter for lists: `nil` (everything) for admins and the local user.
    public var ownerFilter: String? { isAdmin ? nil : owner }
}
