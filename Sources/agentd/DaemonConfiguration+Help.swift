import AgentCore
import CommandLineSupport

extension DaemonConfiguration {
    /// `agentd --help`, in the style guide's layout.
    static let help = Help(
        command: "agentd", overview: "Run the agentd daemon: the session service behind an HTTP API. 'agentd users add [--admin] [--email EMAIL] NAME' (password from $AGENTD_PASSWORD or standard input) and 'agentd users list' manage accounts on this host.",
        usage: "agentd [--host ADDRESS] [--port PORT] [--data-dir DIR] [--log-level LEVEL] [--log-format text|json] [--script FILE] [--rate-limit N] [--session-rate-limit N] [--ws-rate-limit N] [--api-rate-limit N] [--cua-port PORT] [--auth none|required] [--insecure-no-auth] [--no-registration] [--metrics-auth]",
        options: [
            ("--host ADDRESS", "Address to listen on (default: $AGENTD_HOST or \(defaultHost))."),
            ("--port PORT", "Port to listen on; 0 picks a free one (default: $AGENTD_PORT or \(defaultPort))."),
            ("--data-dir DIR", "Directory for the database and the sessions' files, created 0700 (default: ./\(defaultDataDirectory))."),
            ("--log-level LEVEL", "debug, info, warning or error (default: $LOG_LEVEL or info)."),
            ("--log-format FORMAT", "text or json lines on standard error (default: $LOG_FORMAT or text)."),
            ("--script FILE", "Replay a JSON script of assistant turns instead of calling Claude (offline demo)."),
            ("--rate-limit N", "Requests per minute per client IP on the root /sessions routes (default: $RATE_LIMIT_REQUESTS or 100)."),
            ("--session-rate-limit N", "POST /sessions per minute per client IP (default: $RATE_LIMIT_SESSIONS or 10)."),
            ("--ws-rate-limit N", "/ws and /vnc WebSocket connections per minute per client IP (default: $RATE_LIMIT_WEBSOCKETS or 5)."),
            ("--api-rate-limit N", "Requests per minute per client IP on /api/v1, health and readiness apart (default: $RATE_LIMIT_API, else no limit)."),
            ("--cua-port PORT", "Also serve seed 002's browser-task API (/api/tasks, …) on this port; 0 picks a free one (default: $CUA_PORT, else off)."),
            ("--auth MODE", "none or required: whether every route needs an API key or login token (default: $AGENTD_AUTH, else none on a loopback address and required on any other)."),
            ("--insecure-no-auth", "Allow --auth none on a non-loopback address (only on a network you trust)."),
            ("--no-registration", "Refuse POST /api/v1/auth/register; users are made with 'agentd users add' on this host."),
            ("--metrics-auth", "With --auth required, /metrics needs a credential too."),
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
        ("RATE_LIMIT_REQUESTS, RATE_LIMIT_SESSIONS, RATE_LIMIT_WEBSOCKETS",
         "As --rate-limit, --session-rate-limit and --ws-rate-limit (never applied to /health, /metrics or /api/v1)."),
        ("RATE_LIMIT_API", "As --api-rate-limit."),
        ("AGENTD_HOST, AGENTD_PORT, AGENTD_DATA_DIR", "As --host, --port and --data-dir."),
        ("CUA_PORT", "As --cua-port (seed 002's document uses 5001)."),
        ("AGENTD_AUTH, AGENTD_REGISTRATION", "As --auth; AGENTD_REGISTRATION=closed as --no-registration."),
        ("SECRET_KEY", "Token signing key, at least 32 bytes (default: generated once, kept 0600 in <data-dir>/secret_key; a given one is never written)."),
        ("ALGORITHM", "HS256, the only one accepted (anything else refuses to start)."),
        ("ACCESS_TOKEN_EXPIRE_MINUTES", "Login token lifetime (default: 30)."),
        ("STORAGE_PATH", "Seed 003's artifacts and extracted versions (default: <data-dir>/storage)."),
        ("UPLOAD_MAX_SIZE", "Largest agent upload in bytes (default: 104857600)."),
        ("WORKER_CONCURRENCY", "Agent builds at once (default: 4)."),
        ("EXECUTION_TIMEOUT", "Seconds a Python agent execution may run (default: 30)."),
        ("AGENTD_WHEEL_DIR", "Install agents' requirements from this folder of wheels instead of PyPI."),
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
