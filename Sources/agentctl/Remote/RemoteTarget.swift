/// Which agentd a remote command talks to, and what it knows about the caller: the environment
/// (credential variables, the config directory) and the console.
struct RemoteTarget: Sendable {
    /// The server's base URL (`--server`, `$AGENTD_URL` or the default).
    let server: String
    let environment: [String: String]
    let console: any Console

    /// Where `agentctl login` keeps its tokens for this environment.
    var credentials: CredentialStore { CredentialStore(environment: environment) }

    /// A client for the server that sends the caller's credential, if there is one.
    /// - Parameter authenticated: false for commands that must not send one (`login`).
    /// - Throws: `RemoteError` when the stored credentials cannot be read.
    func client(authenticated: Bool = true) throws(RemoteError) -> AgentdClient {
        let credential = authenticated ? try Credential.resolve(server: server, environment: environment) : nil
        return AgentdClient(server: server, credential: credential)
    }
}
