import AgentCore
import AgentHTTP
import CommandLineSupport

extension DaemonConfiguration {
    /// Who may use agentd, and seed 003's platform settings; flags beat environment variables,
    /// which beat the defaults.
    struct AccessSettings: Sendable {
        /// `--auth none|required` (`AGENTD_AUTH`): `none` by default on a loopback address,
        /// `required` on any other.
        var mode: AuthenticationMiddleware.Mode
        /// `--no-registration` (`AGENTD_REGISTRATION=closed`): only the host's `agentd users add` makes users.
        var registrationOpen: Bool
        /// `--metrics-auth`: `/metrics` needs a credential too in `required` mode.
        var metricsNeedAuth: Bool
        /// `SECRET_KEY` as given (never written to disk); nil: generated once and kept 0600 in the
        /// data directory.
        var secretKey: String?
        /// `ACCESS_TOKEN_EXPIRE_MINUTES` (seed 003: 30).
        var tokenLifetimeMinutes: Int
        /// `STORAGE_PATH` (default `<data-dir>/storage`), absolute.
        var storagePath: String
        /// `UPLOAD_MAX_SIZE` in bytes (seed 003: 104857600).
        var uploadMaxSize: Int
        /// `WORKER_CONCURRENCY` (seed 003: 4).
        var workerConcurrency: Int
        /// `EXECUTION_TIMEOUT` in seconds (seed 003: 30).
        var executionTimeout: Double
        /// `AGENTD_WHEEL_DIR`: build requirements from this folder of wheels instead of PyPI.
        var wheelDirectory: String?

        struct Flags {
            var auth: String?
            var insecureNoAuth: Bool
            var noRegistration: Bool
            var metricsAuth: Bool

            init(parsing cursor: inout ArgumentCursor) throws {
                auth = try cursor.takeValue("--auth")
                insecureNoAuth = cursor.takeFlag("--insecure-no-auth")
                noRegistration = cursor.takeFlag("--no-registration")
                metricsAuth = cursor.takeFlag("--metrics-auth")
            }
        }

        /// - Throws: `UsageError` for a bad flag; `DaemonError` for a bad variable, `ALGORITHM`
        ///   other than HS256, a `SECRET_KEY` shorter than 32 bytes, or `none` on a non-loopback
        ///   address without `--insecure-no-auth`.
        init(flags: Flags, environment env: (String) -> String?, host: String, dataDirectory: String,
             absolute: (String) -> String) throws {
            let modeText = flags.auth ?? env("AGENTD_AUTH")
            if let modeText {
                guard let mode = AuthenticationMiddleware.Mode(rawValue: modeText.lowercased()) else {
                    if flags.auth != nil { throw UsageError("The value '\(modeText)' for '--auth' must be none or required") }
                    throw DaemonError("AGENTD_AUTH='\(modeText)' must be none or required")
                }
                self.mode = mode
            } else {
                self.mode = ClientAddress(host).isLoopback || host == "localhost" ? .none : .required
            }
            if mode == .none, !(ClientAddress(host).isLoopback || host == "localhost"), !flags.insecureNoAuth {
                throw DaemonError("refusing --auth none on \(host), which is not a loopback address: anyone who reaches the port "
                    + "would control agentd (use --auth required, or --insecure-no-auth if the network is trusted)")
            }
            registrationOpen = !flags.noRegistration && env("AGENTD_REGISTRATION")?.lowercased() != "closed"
            metricsNeedAuth = flags.metricsAuth
            // seed 003 / issue 8: only HS256; anything else refuses to start.
            if let algorithm = env("ALGORITHM"), algorithm != JSONWebToken.algorithm {
                throw DaemonError("ALGORITHM='\(algorithm)' is not supported: agentd signs tokens with HS256 only")
            }
            secretKey = env("SECRET_KEY")
            if let secretKey, secretKey.utf8.count < JSONWebToken.minimumSecretLength {
                throw DaemonError("SECRET_KEY must be at least \(JSONWebToken.minimumSecretLength) bytes (RFC 7518 §3.2); "
                    + "unset it to have agentd generate one")
            }
            tokenLifetimeMinutes = try Self.integer("ACCESS_TOKEN_EXPIRE_MINUTES", env, in: 1...525_600, default: 30)
            storagePath = absolute(env("STORAGE_PATH") ?? dataDirectory + "/storage")
            uploadMaxSize = try Self.integer("UPLOAD_MAX_SIZE", env, in: 1...(1 << 40), default: 104_857_600)
            workerConcurrency = try Self.integer("WORKER_CONCURRENCY", env, in: 1...64, default: 4)
            executionTimeout = Double(try Self.integer("EXECUTION_TIMEOUT", env, in: 1...86_400, default: 30))
            wheelDirectory = env("AGENTD_WHEEL_DIR").map(absolute)
        }

        private static func integer(_ name: String, _ env: (String) -> String?, in range: ClosedRange<Int>, default value: Int) throws -> Int {
            guard let text = env(name) else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw DaemonError("\(name)='\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
    }
}
