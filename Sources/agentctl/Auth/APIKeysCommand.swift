import CommandLineSupport

/// `agentctl api-keys <verb>`: the caller's API keys (seed 003 "API Key Management"), which need a
/// login token, not a key.
enum APIKeysCommand {
    static let group = CommandGroup(
        name: "api-keys", overview: "Create, list and revoke API keys (needs agentctl login).",
        specs: [APIKeyCommand.spec(.create), APIKeyCommand.spec(.list), APIKeyCommand.spec(.revoke)])
}
