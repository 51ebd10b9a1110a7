import AgentCore

/// What a remote command proves who it is with: an API key (`X-API-Key`) or a login token
/// (`Authorization: Bearer`), and where it came from.
///
/// Its description names only the kind and source, so printing one never shows the secret.
struct Credential: Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case apiKey, token
    }

    /// Where the credential was found, for messages such as `agentctl whoami`'s.
    enum Source: String, Sendable, Equatable {
        case apiKeyVariable = "$AGENTD_API_KEY"
        case tokenVariable = "$AGENTD_TOKEN"
        case storedLogin = "the stored login"
    }

    let kind: Kind
    let secret: String
    let source: Source

    /// The header that carries it (seed 003 "Authentication": `X-API-Key`, else `Authorization: Bearer`).
    var header: HTTPField {
        switch kind {
        case .apiKey: HTTPField("X-API-Key", secret)
        case .token: HTTPField("Authorization", "Bearer " + secret)
        }
    }

    var description: String { "\(kind == .apiKey ? "API key" : "login token") from \(source.rawValue)" }

    /// The credential for `server`: `$AGENTD_API_KEY`, else `$AGENTD_TOKEN`, else the token stored by
    /// `agentctl login` for that server; nil when there is none.
    /// - Throws: `RemoteError` when the credentials file exists but cannot be read.
    static func resolve(server: String, environment: [String: String]) throws(RemoteError) -> Credential? {
        if let key = environment["AGENTD_API_KEY"], !key.isEmpty { return Credential(kind: .apiKey, secret: key, source: .apiKeyVariable) }
        if let token = environment["AGENTD_TOKEN"], !token.isEmpty { return Credential(kind: .token, secret: token, source: .tokenVariable) }
        guard let stored = try CredentialStore(environment: environment).login(for: server) else { return nil }
        return Credential(kind: .token, secret: stored.token, source: .storedLogin)
    }
}
