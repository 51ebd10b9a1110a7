import AgentCore
import AgentStore
import CommandLineSupport
import Foundation

/// Everything agentd is told at start-up, parsed and checked: flags first, then environment
/// variables, then the embedded defaults.
///
/// ```swift
/// var cursor = ArgumentCursor(["--port", "0", "--data-dir", "/var/lib/agentd"])
/// let configuration = try DaemonConfiguration(parsing: &cursor, environment: ProcessInfo.processInfo.environment)
/// ```
///
/// - Throws: `UsageError` for a bad flag (exit 64), `DaemonError` for a bad environment variable (exit 1).
struct DaemonConfiguration: Sendable {
    /// The address to bind (`--host`, `AGENTD_HOST`; default loopback).
    var host: String
    /// The TCP port (`--port`, `AGENTD_PORT`; default 8000; 0 picks a free one).
    var port: Int
    /// Where the database (by default) and the sessions' working directories live, absolute.
    var dataDirectory: String
    /// The SQLite file: `DATABASE_URL`, else `<data-dir>/agentd.db` with `--data-dir`, else `data/agentd.db`.
    var databasePath: String
    var logLevel: LogLevel
    var logFormat: LogFormat
    /// `--script FILE`: replay this script instead of calling Claude (offline demos).
    var scriptPath: String?
    /// `ANTHROPIC_API_KEY`; never printed unmasked.
    var apiKey: String?
    /// `ANTHROPIC_BASE_URL`, or the API's own.
    var baseURL: String
    /// `API_PROVIDER`: only `anthropic` is supported.
    var provider: String
    /// `MODEL_NAME`: the model of sessions that do not name one.
    var model: String
    /// `WIDTH` × `HEIGHT`: the screen of desktop sessions that give no size.
    var desktopWidth: Int
    var desktopHeight: Int
    /// `CORS_ORIGINS`, comma-separated: the browser origins the API answers (`*` for any).
    var corsOrigins: [String]
    /// Seed 001's per-client rate limits per minute on its root routes (`--rate-limit`,
    /// `--session-rate-limit`, `--ws-rate-limit`; `RATE_LIMIT_REQUESTS`, `RATE_LIMIT_SESSIONS`,
    /// `RATE_LIMIT_WEBSOCKETS`; defaults 100, 10, 5).
    var rateLimits: RateLimits
    /// Where seed 002's browser-task API listens (`--cua-port`, `CUA_PORT`; its document uses
    /// 5001; 0 picks a free port), on the same host; nil (the default) serves it nowhere.
    var cuaPort: Int?
    /// Authentication, registration, `SECRET_KEY` and seed 003's platform settings.
    var access: AccessSettings

    static let defaultHost = "127.0.0.1"
    static let defaultPort = 8000
    static let defaultDataDirectory = "data"
    static let supportedProviders = ["anthropic"]

    /// The sessions' working directories: `<data-dir>/sessions/<id>`.
    var sessionsDirectory: String { dataDirectory + "/sessions" }

    /// `host:port`, with brackets around an IPv6 address.
    func address(port: Int) -> String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// Parses the command line in `cursor` and the environment.
    /// - Parameter currentDirectory: what relative paths are relative to.
    init(parsing cursor: inout ArgumentCursor, environment: [String: String],
         currentDirectory: String = FileManager.default.currentDirectoryPath) throws {
        func env(_ name: String) -> String? {
            environment[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        func absolute(_ path: String) -> String {
            URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
                .standardizedFileURL.path
        }

        // Flags.
        let hostFlag = try cursor.takeValue("--host")
        let portFlag = try cursor.takeInt("--port", in: 0...65535)
        let dataFlag = try cursor.takeValue("--data-dir")
        let levelFlag = try cursor.takeValue("--log-level")
        let formatFlag = try cursor.takeValue("--log-format")
        scriptPath = try cursor.takeValue("--script")
        let cuaPortFlag = try cursor.takeInt("--cua-port", in: 0...65535)
        let rateFlags = try RateLimits.Flags(parsing: &cursor)
        let accessFlags = try AccessSettings.Flags(parsing: &cursor)
        let positionals = try cursor.remainingPositionals()
        if let first = positionals.first { throw UsageError("Unexpected argument '\(first)'") }
        if let hostFlag, hostFlag.isEmpty { throw UsageError("The value for '--host' must not be empty") }
        if let dataFlag, dataFlag.isEmpty { throw UsageError("The value for '--data-dir' must not be empty") }
        if let levelFlag, LogLevel(name: levelFlag) == nil {
            throw UsageError("The value '\(levelFlag)' for '--log-level' must be debug, info, warning or error")
        }
        if let formatFlag, LogFormat(rawValue: formatFlag) == nil {
            throw UsageError("The value '\(formatFlag)' for '--log-format' must be text or json")
        }
        if let scriptPath, scriptPath.isEmpty { throw UsageError("The value for '--script' must not be empty") }

        // Flags beat the environment.
        host = hostFlag ?? env("AGENTD_HOST") ?? Self.defaultHost
        if let portFlag {
            port = portFlag
        } else if let text = env("AGENTD_PORT") {
            guard let value = Int(text), (0...65535).contains(value) else {
                throw DaemonError("AGENTD_PORT='\(text)' is not a port number (0…65535)")
            }
            port = value
        } else {
            port = Self.defaultPort
        }
        let levelText = levelFlag ?? env("LOG_LEVEL") ?? "info"
        guard let level = LogLevel(name: levelText) else {
            throw DaemonError("LOG_LEVEL='\(levelText)' must be debug, info, warning or error")
        }
        logLevel = level
        let formatText = formatFlag ?? env("LOG_FORMAT") ?? "text"
        guard let format = LogFormat(rawValue: formatText.lowercased()) else {
            throw DaemonError("LOG_FORMAT='\(formatText)' must be text or json")
        }
        logFormat = format

        dataDirectory = absolute(dataFlag ?? env("AGENTD_DATA_DIR") ?? Self.defaultDataDirectory)
        do {
            if env(DatabaseURL.variableName) == nil, dataFlag != nil || env("AGENTD_DATA_DIR") != nil {
                databasePath = dataDirectory + "/agentd.db"
            } else {
                databasePath = absolute(try DatabaseURL.path(environment: environment))
            }
        } catch {
            throw DaemonError("\(error)")
        }
        scriptPath = scriptPath.map(absolute)

        provider = (env("API_PROVIDER") ?? "anthropic").lowercased()
        guard Self.supportedProviders.contains(provider) else {
            throw DaemonError(
                "API_PROVIDER='\(provider)' is not supported: agentd talks to Anthropic's API only for now "
                    + "(unset API_PROVIDER or set it to anthropic)")
        }
        apiKey = env("ANTHROPIC_API_KEY")
        baseURL = env("ANTHROPIC_BASE_URL") ?? AnthropicClient.defaultBaseURL
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw DaemonError("ANTHROPIC_BASE_URL='\(SecretMask.maskURL(baseURL))' must start with http:// or https://")
        }
        model = env("MODEL_NAME") ?? ModelCatalog.defaultModel
        desktopWidth = try Self.size("WIDTH", env("WIDTH"), range: DesktopOptions.widthRange, default: 1280)
        desktopHeight = try Self.size("HEIGHT", env("HEIGHT"), range: DesktopOptions.heightRange, default: 800)
        corsOrigins = try Self.origins(env("CORS_ORIGINS"))
        rateLimits = try RateLimits(flags: rateFlags, environment: env)
        if let cuaPortFlag {
            cuaPort = cuaPortFlag
        } else if let text = env("CUA_PORT") {
            guard let value = Int(text), (0...65535).contains(value) else {
                throw DaemonError("CUA_PORT='\(text)' is not a port number (0…65535)")
            }
            cuaPort = value
        }
        access = try AccessSettings(flags: accessFlags, environment: env, host: host, dataDirectory: dataDirectory,
                                    absolute: absolute)
    }

    /// `WIDTH` or `HEIGHT`: a whole number of pixels within what a desktop supports.
    private static func size(_ name: String, _ text: String?, range: ClosedRange<Int>, default value: Int) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw DaemonError("\(name)='\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `CORS_ORIGINS`: `*`, or comma-separated origins such as `http://localhost:3000`.
    static func origins(_ text: String?) throws -> [String] {
        guard let text else { return [] }
        let origins = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for origin in origins where origin != "*" {
            let scheme = ["http://", "https://"].first { origin.lowercased().hasPrefix($0) }
            let authority = scheme.map { origin.dropFirst($0.count) } ?? ""
            guard !authority.isEmpty, !authority.contains("/") else {
                throw DaemonError(
                    "CORS_ORIGINS has '\(origin)', which is not an origin (scheme://host[:port], or * for any)")
            }
        }
        return origins
    }
}
