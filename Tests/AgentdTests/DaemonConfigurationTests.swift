import AgentCore
import CommandLineSupport
import Testing
@testable import agentd

/// Parsing agentd's flags and environment: defaults, precedence, and what is refused.
struct DaemonConfigurationTests {
    func parse(_ arguments: [String], _ environment: [String: String] = [:]) throws -> DaemonConfiguration {
        var cursor = ArgumentCursor(arguments)
        return try DaemonConfiguration(parsing: &cursor, environment: environment, currentDirectory: "/srv/app")
    }

    @Test func embeddedDefaults() throws {
        let configuration = try parse([])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8000)
        #expect(configuration.dataDirectory == "/srv/app/data")
        #expect(configuration.databasePath == "/srv/app/data/agentd.db")
        #expect(configuration.sessionsDirectory == "/srv/app/data/sessions")
        #expect(configuration.logLevel == .info)
        #expect(configuration.logFormat == .text)
        #expect(configuration.model == ModelCatalog.defaultModel)
        #expect(configuration.apiKey == nil)
        #expect(configuration.baseURL == AnthropicClient.defaultBaseURL)
        #expect(configuration.desktopWidth == 1280 && configuration.desktopHeight == 800)
        #expect(configuration.corsOrigins.isEmpty)
    }

    @Test func flagsBeatTheEnvironment() throws {
        let environment = [
            "AGENTD_HOST": "0.0.0.0", "AGENTD_PORT": "9000", "LOG_LEVEL": "ERROR", "LOG_FORMAT": "json",
        ]
        let fromEnvironment = try parse([], environment)
        #expect(fromEnvironment.host == "0.0.0.0")
        #expect(fromEnvironment.port == 9000)
        #expect(fromEnvironment.logLevel == .error)
        #expect(fromEnvironment.logFormat == .json)
        let fromFlags = try parse(["--host", "::1", "--port=0", "--log-level", "debug", "--log-format", "text"], environment)
        #expect(fromFlags.host == "::1")
        #expect(fromFlags.port == 0)
        #expect(fromFlags.logLevel == .debug)
        #expect(fromFlags.logFormat == .text)
        #expect(fromFlags.address(port: 8000) == "[::1]:8000")
    }

    @Test func theDataDirectoryPlacesTheDatabaseUnlessDatabaseURLIsSet() throws {
        let withDirectory = try parse(["--data-dir", "state"])
        #expect(withDirectory.dataDirectory == "/srv/app/state")
        #expect(withDirectory.databasePath == "/srv/app/state/agentd.db")
        let withURL = try parse(["--data-dir", "/var/lib/agentd"], ["DATABASE_URL": "sqlite:////var/db/agentd.db"])
        #expect(withURL.databasePath == "/var/db/agentd.db")
        #expect(withURL.sessionsDirectory == "/var/lib/agentd/sessions")
        let relative = try parse([], ["DATABASE_URL": "sqlite:///db/x.db"])
        #expect(relative.databasePath == "/srv/app/db/x.db")
    }

    @Test func theModelKeyAndDesktopComeFromTheEnvironment() throws {
        let configuration = try parse(["--script", "demo.json"], [
            "ANTHROPIC_API_KEY": "sk-ant-secret-0000000000wxyz", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
            "MODEL_NAME": "claude-opus-4-5", "WIDTH": "1920", "HEIGHT": "1080", "API_PROVIDER": "Anthropic",
            "CORS_ORIGINS": "http://localhost:3000, https://app.example.com",
        ])
        #expect(configuration.apiKey == "sk-ant-secret-0000000000wxyz")
        #expect(configuration.baseURL == "http://127.0.0.1:9")
        #expect(configuration.model == "claude-opus-4-5")
        #expect(configuration.desktopWidth == 1920 && configuration.desktopHeight == 1080)
        #expect(configuration.scriptPath == "/srv/app/demo.json")
        #expect(configuration.provider == "anthropic")
        #expect(configuration.corsOrigins == ["http://localhost:3000", "https://app.example.com"])
        #expect(try parse([], ["CORS_ORIGINS": "*"]).corsOrigins == ["*"])
    }

    @Test(arguments: [
        (["--port", "70000"], "The value '70000' for '--port' must be a whole number from 0 to 65535"),
        (["--log-level", "loud"], "The value 'loud' for '--log-level' must be debug, info, warning or error"),
        (["--log-format", "xml"], "The value 'xml' for '--log-format' must be text or json"),
        (["--port"], "Missing value for '--port'"),
        (["serve"], "Unexpected argument 'serve'"),
        (["--verbose"], "Unknown option '--verbose'"),
    ])
    func badFlagsAreUsageErrors(arguments: [String], message: String) throws {
        #expect(throws: UsageError(message)) { try parse(arguments) }
    }

    @Test(arguments: [
        (["API_PROVIDER": "openai"], "API_PROVIDER='openai' is not supported"),
        (["AGENTD_PORT": "eighty"], "AGENTD_PORT='eighty' is not a port number"),
        (["LOG_LEVEL": "chatty"], "LOG_LEVEL='chatty' must be debug, info, warning or error"),
        (["WIDTH": "10"], "WIDTH='10' must be a whole number from 320 to 7680"),
        (["DATABASE_URL": "mysql://x/y"], "DATABASE_URL uses the 'mysql' scheme"),
        (["CORS_ORIGINS": "localhost:3000"], "CORS_ORIGINS has 'localhost:3000', which is not an origin"),
        (["CORS_ORIGINS": "http://a.example/path"], "CORS_ORIGINS has 'http://a.example/path'"),
        (["ANTHROPIC_BASE_URL": "ftp://x"], "ANTHROPIC_BASE_URL='ftp://x' must start with http:// or https://"),
    ])
    func badEnvironmentIsRefused(environment: [String: String], message: String) throws {
        let error = try #require(throws: DaemonError.self) { try parse([], environment) }
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }
}

/// agentd sizes its connection cap from the open-file limit it can raise to.
@Suite struct FileLimitTests {
    @Test func theCapLeavesAReserveAndStaysBounded() {
        #expect(FileLimit.connectionCap(forFileLimit: 20_000) == 19_488)
        #expect(FileLimit.connectionCap(forFileLimit: 1_024) == 512)
        #expect(FileLimit.connectionCap(forFileLimit: 100) == 64)
        #expect(FileLimit.connectionCap(forFileLimit: 1_048_576) == 65_536)
        #expect(FileLimit.raise() >= 1_024)
    }
}
