import CommandLineSupport
import AgentCore

/// What a remote command runs with: the client for agentd, whether to print JSON, where to print,
/// and the target it was made for (environment, credentials file, console).
struct Remote: Sendable {
    let client: AgentdClient
    /// `--json`: print the API's JSON (NDJSON for event streams) instead of text for people.
    let json: Bool
    let output: any OutputSink
    let target: RemoteTarget

    /// The person's or script's console.
    var console: any Console { target.console }

    /// Prints a JSON value on one line.
    func printJSON(_ value: JSONValue) {
        output.out(value.serialized() + "\n")
    }

    /// Prints `value` as JSON with `--json`, else `text` for people.
    func show(_ value: JSONValue, text: @autoclosure () -> String) {
        if json { printJSON(value) } else { output.out(text()) }
    }

    /// The default server when neither `--server` nor `$AGENTD_URL` names one.
    static let defaultServer = "http://127.0.0.1:8000"

    /// The server to talk to: `--server`, else `$AGENTD_URL`, else the default.
    /// - Throws: `UsageError` when it is not an http(s) URL.
    static func server(option: String?, environment: [String: String]) throws -> String {
        let server = option ?? environment["AGENTD_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultServer
        let lower = server.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), server.count > 8 else {
            throw UsageError("The server '\(server)' must be an http:// or https:// URL")
        }
        return server
    }
}
