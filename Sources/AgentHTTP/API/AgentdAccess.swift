public import AgentCore

/// Who may use the stack and seed 003's platform: the account service, the platform service and
/// the authentication mode (``AuthenticationMiddleware``).
public struct AgentdAccess: Sendable {
    public var accounts: AccountService
    public var platform: PlatformService
    public var mode: AuthenticationMiddleware.Mode
    /// Paths that need no credential in `required` mode.
    public var publicPaths: Set<String>

    public init(accounts: AccountService, platform: PlatformService, mode: AuthenticationMiddleware.Mode,
                publicPaths: Set<String> = AuthenticationMiddleware.defaultPublicPaths) {
        self.accounts = accounts
        self.platform = platform
        self.mode = mode
        self.publicPaths = publicPaths
    }

    /// `handler` behind the credential check.
    public func guarding(_ handler: any HTTPHandler) -> any HTTPHandler {
        AuthenticationMiddleware(wrapping: handler, accounts: accounts, mode: mode, publicPaths: publicPaths)
    }
}
