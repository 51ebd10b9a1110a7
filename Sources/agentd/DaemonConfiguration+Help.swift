import AgentCore
import CommandLineSupport

extension DaemonConfiguration {
    /// `agentd --help`, in the style guide's layout.
    static let help = Help(
        command: "agentd", overview: "Run the agentd daemon: the session service behind an HTTP API.",
        usage: "agentd [--host ADDRESS] [--port PORT] [--data-dir DIR] [--log-level LEVEL] [--log-format text|json] [--script FILE]",
        options: [
            ("--host ADDRESS", "Address to listen on (default: $AGENTD_HOST or \(defaultHost))."),
            ("--port PORT", "Port to listen on; 0 picks a free one (default: $AGENTD_PORT or \(defaultPort))."),
            ("--data-dir DIR", "Directory for the database and the sessions' files, created 0700 (default: ./\(defaultDataDirectory))."),
            ("--log-level LEVEL", "debug, info, warning or error (default: $LOG_LEVEL or info)."),
            ("--log-format FORMAT", "text or json lines on standard error (default: $LOG_FORMAT or text)."),
            ("--script FILE", "Replay a JSON script of assistant turns instead of calling Claude (offline demo)."),
        ])

    /// The environment variables agentd reads, for the README and `--help`'s readers.
    static let environmentVariables: [(String, String)] = [
        ("ANTHROPIC_API_KEY", "Claude API key (logged masked: sk-ant-…abcd). Without it sessions fail with a clear error."),
        ("ANTHROPIC_BASE_URL", "API origin (default: \(AnthropicClient.defaultBaseURL))."),
        ("API_PROVIDER", "anthropic (the only provider supported for now)."),
        ("MODEL_NAME", "Model of sessions that name none (default: \(ModelCatalog.defaultModel))."),
        ("DATABASE_URL", "sqlite:////abs/path.db or sqlite:///rel/path.db (default: <data-dir>/agentd.db)."),
        ("WIDTH, HEIGHT", "Desktop size of sessions that give none (default: 1280×800)."),
        ("LOG_LEVEL, LOG_FORMAT", "As --log-level and --log-format."),
        ("CORS_ORIGINS", "Comma-separated browser origins allowed to call the API, or *."),
        ("AGENTD_HOST, AGENTD_PORT, AGENTD_DATA_DIR", "As --host, --port and --data-dir."),
    ]

    /// The help text with the environment variables appended.
    static var helpText: String {
        var text = help.text + "\nENVIRONMENT:\n"
        for (name, about) in environmentVariables {
            text += "  \(name)\n      \(about)\n"
        }
        return text + "\n  Flags beat environment variables.\n"
    }
}
