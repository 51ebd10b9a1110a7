import AgentCore
import AgentHTTP
import AgentStore
import CommandLineSupport
import Foundation

/// agentd put together: the SQLite store, the session service, the native API behind the access
/// log, and the HTTP server; it runs until SIGTERM or SIGINT and then shuts down in order.
///
/// ```swift
/// let daemon = Daemon(configuration: configuration, logger: logger)
/// exit(await daemon.run().rawValue)      // 0 after a clean shutdown, 1 when it cannot start
/// ```
///
/// Start-up refuses, with one clear log line and exit code 1, a data directory it cannot write, a
/// database it cannot open or that another agentd holds, a script it cannot read, and an address
/// it cannot bind. Without `ANTHROPIC_API_KEY` (and no `--script`) it starts anyway, warns once,
/// and sessions end in `error` saying the key is missing.
final class Daemon: Sendable {
    let configuration: DaemonConfiguration
    let logger: Logger
    private let output: any OutputSink

    /// The pieces of a started daemon.
    struct Running: Sendable {
        let lock: DatabaseLock
        let store: SQLiteSessionStore
        let service: SessionService
        /// Seed 003's platform (builds and executions), shut down before the sessions.
        let platform: PlatformService
        let server: HTTPServer
        let port: Int
        /// Seed 002's listener and its port, with `--cua-port`.
        let cuaServer: HTTPServer?
        let cuaPort: Int?
    }

    /// Most seconds between the signal and the exit; past it agentd gives up waiting and exits 1.
    static let shutdownDeadline = 9.5
    /// How long requests in flight may finish once shutdown starts.
    static let gracePeriod: Duration = .seconds(5)

    init(configuration: DaemonConfiguration, logger: Logger, output: any OutputSink = StandardOutput()) {
        self.configuration = configuration
        self.logger = logger
        self.output = output
    }

    /// Starts, prints `listening on http://HOST:PORT`, waits for SIGTERM or SIGINT, shuts down.
    func run() async -> ExitCode {
        let logger = self.logger
        // Watch signals first, so one that arrives during start-up still shuts down cleanly.
        let signals = SignalWatcher([SIGTERM, SIGINT]) { number in
            logger.warning("second signal: exiting now", ["signal": .string(SignalWatcher.name(of: number))])
            exit(ExitCode.failure.rawValue)
        }
        let clock = ContinuousClock()
        let startedAt = clock.now
        logStartup()
        let running: Running
        do {
            running = try await start()
        } catch {
            logger.error("agentd cannot start: \(error)")
            return .failure
        }
        let address = configuration.address(port: running.port)
        logger.info("listening on http://\(address)", [
            "address": .string(address), "startup_ms": .int(Self.milliseconds(clock.now - startedAt)),
        ])
        output.out("listening on http://\(address)\n")
        if let cuaPort = running.cuaPort {
            // Seed 002's own listener: printed after the main line, which scripts read first.
            let cuaAddress = configuration.address(port: cuaPort)
            logger.info("seed 002 (browser tasks) listening on http://\(cuaAddress)", ["address": .string(cuaAddress)])
            output.out("cua listening on http://\(cuaAddress)\n")
        }

        let number = await signals.next()
        let stoppingAt = clock.now
        logger.info("shutting down", ["signal": .string(SignalWatcher.name(of: number))])
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.shutdownDeadline) {
            logger.error("shutdown did not finish in \(Self.shutdownDeadline) s; exiting anyway")
            exit(ExitCode.failure.rawValue)
        }
        await stop(running)
        logger.info("stopped", ["shutdown_ms": .int(Self.milliseconds(clock.now - stoppingAt))])
        return .success
    }

    // MARK: - Start and stop

    /// Checks the data directory, opens the store, reconciles sessions and binds the server.
    /// - Throws: `DaemonError` saying what is wrong; whatever was opened is closed again.
    func start() async throws -> Running {
        try DataDirectory.prepare(configuration.dataDirectory)
        let lock = try DatabaseLock(databasePath: configuration.databasePath)
        let model = try makeModelClient()
        let store: SQLiteSessionStore
        do {
            store = try SQLiteSessionStore(path: configuration.databasePath)
        } catch {
            throw DaemonError("cannot open the database \(configuration.databasePath): \(error)")
        }
        let service = SessionService(
            store: store, model: model, environments: StandardEnvironmentProvider(),
            configuration: SessionServiceConfiguration(
                defaults: SessionConfiguration(model: configuration.model),
                workingDirectoryRoot: configuration.sessionsDirectory,
                desktopWidth: configuration.desktopWidth, desktopHeight: configuration.desktopHeight))
        do {
            let interrupted = try await service.start()
            if !interrupted.isEmpty {
                logger.info("sessions left running by the previous agentd are now interrupted", [
                    "count": .int(interrupted.count), "sessions": .string(interrupted.joined(separator: ",")),
                ])
            }
        } catch {
            await service.shutdown()
            store.close()
            throw DaemonError("cannot reconcile the sessions in \(configuration.databasePath): \(error)")
        }
        let access: AgentdAccess
        do {
            access = try await makeAccess(store: store, service: service)
        } catch {
            await service.shutdown()
            store.close()
            throw error
        }
        let connectionCap = FileLimit.connectionCap(forFileLimit: FileLimit.raise())
        let metrics = HTTPMetrics()
        let handler: any HTTPHandler
        do {
            handler = try Self.handler(service: service, corsOrigins: configuration.corsOrigins,
                                       cambio: cambioConfiguration(isolation: access.platform.isolation),
                                       metrics: metrics, settingsFile: configuration.dataDirectory + "/openbrowser-settings.json",
                                       access: access, apiRateLimit: configuration.rateLimits.api)
        } catch {
            await access.platform.shutdown()
            await service.shutdown()
            store.close()
            throw DaemonError("\(error)")
        }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: configuration.host, port: configuration.port, maxConnections: connectionCap),
            handler: AccessLog(handler, logger: logger))
        let port: Int
        do {
            port = try server.start()
        } catch {
            await access.platform.shutdown()
            await service.shutdown()
            store.close()
            throw DaemonError("cannot listen on \(configuration.address(port: configuration.port)): \(error.message)")
        }
        var cuaServer: HTTPServer?
        var cuaPort: Int?
        if let requested = configuration.cuaPort {
            let baseURL = configuration.baseURL
            let handler = access.guarding(Self.cuaHandler(service: service, corsOrigins: configuration.corsOrigins, metrics: metrics) {
                AnthropicClient(apiKey: $0, baseURL: baseURL)
            })
            let cua = HTTPServer(
                configuration: HTTPServerConfiguration(host: configuration.host, port: requested, maxConnections: connectionCap),
                handler: AccessLog(handler, logger: logger, redact: BrowserTasksAPI.redactedPath))
            do {
                cuaPort = try cua.start()
                cuaServer = cua
            } catch {
                await server.shutdown(gracePeriod: .zero)
                await access.platform.shutdown()
                await service.shutdown()
                store.close()
                throw DaemonError("cannot listen on \(configuration.address(port: requested)) (--cua-port): \(error.message)")
            }
        }
        return Running(lock: lock, store: store, service: service, platform: access.platform, server: server, port: port,
                       cuaServer: cuaServer, cuaPort: cuaPort)
    }

    /// Stops accepting, ends every run (running sessions become `interrupted`, desktops stop),
    /// lets requests in flight finish for up to `gracePeriod`, and closes the store.
    func stop(_ running: Running) async {
        async let serverStopped: Void = running.server.shutdown(gracePeriod: Self.gracePeriod)
        async let cuaStopped: Void = running.cuaServer?.shutdown(gracePeriod: Self.gracePeriod) ?? ()
        await running.platform.shutdown()
        await running.service.shutdown()
        await serverStopped
        await cuaStopped
        running.store.close()
        withExtendedLifetime(running.lock) {}
    }

    // MARK: - Pieces

    /// The script with `--script`, else Claude, else a client whose every call explains the missing key.
    func makeModelClient() throws -> any ModelClient {
        if let script = configuration.scriptPath {
            do {
                return try ScriptedModelClient(contentsOf: script)
            } catch {
                throw DaemonError("cannot use the script \(script): \(error)")
            }
        }
        if let key = configuration.apiKey {
            return AnthropicClient(apiKey: key, baseURL: configuration.baseURL)
        }
        logger.warning(
            "ANTHROPIC_API_KEY is not set: sessions will end in error until it is set (or start agentd with --script FILE)")
        return MissingKeyModelClient()
    }

    /// The start-up line: where things are and which model answers; the key only masked.
    private func logStartup() {
        let source: String = configuration.scriptPath != nil ? "script" : configuration.apiKey != nil ? "anthropic" : "none"
        logger.info("starting agentd", [
            "version": .string(AgentCoreVersion.string), "pid": .int(Int(getpid())),
            "data_dir": .string(configuration.dataDirectory), "database": .string(configuration.databasePath),
            "model": .string(configuration.model), "provider": .string(configuration.provider), "model_client": .string(source),
            "api_key": .string(configuration.apiKey.map(SecretMask.mask) ?? "unset"),
            "base_url": .string(SecretMask.maskURL(configuration.baseURL)),
            "script": .string(configuration.scriptPath ?? "-"),
            "desktop": .string("\(configuration.desktopWidth)x\(configuration.desktopHeight)"),
            "cors_origins": .string(configuration.corsOrigins.isEmpty ? "-" : configuration.corsOrigins.joined(separator: ",")),
        ])
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let parts = duration.components
        return Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000)
    }

    /// Accounts (`SECRET_KEY`, token lifetime, registration) and seed 003's platform (storage,
    /// uploads, build workers, sandboxed executions), started: unfinished builds are re-queued.
    func makeAccess(store: SQLiteSessionStore, service: SessionService) async throws -> AgentdAccess {
        let settings = configuration.access
        let secret = try SecretKeyFile.load(given: settings.secretKey, dataDirectory: configuration.dataDirectory)
        let accounts = AccountService(store: store.accounts, configuration: AccountConfiguration(
            secret: secret, tokenLifetimeMinutes: settings.tokenLifetimeMinutes, registrationOpen: settings.registrationOpen))
        let sandbox = Sandbox(scratchRoot: settings.storagePath + "/scratch")
        if sandbox.isolation == .none {
            logger.warning("no sandbox is available (neither bwrap nor unshare works): seed 003 executions run without isolation")
        }
        let platform = PlatformService(store: store.platform, sessions: service, sandbox: sandbox, configuration: PlatformConfiguration(
            storageRoot: settings.storagePath, uploadMaxSize: settings.uploadMaxSize, workerConcurrency: settings.workerConcurrency,
            executionTimeout: settings.executionTimeout, wheelDirectory: settings.wheelDirectory))
        do {
            try await platform.start()
        } catch {
            throw DaemonError("cannot prepare the agent storage \(settings.storagePath): \(error)")
        }
        var publicPaths = AuthenticationMiddleware.defaultPublicPaths
        if settings.metricsNeedAuth { publicPaths.remove("/metrics") }
        logger.info("access", ["auth": .string(settings.mode.rawValue), "registration": .string(settings.registrationOpen ? "open" : "closed"),
                               "sandbox": .string(sandbox.isolation.rawValue), "storage": .string(settings.storagePath)])
        return AgentdAccess(accounts: accounts, platform: platform, mode: settings.mode, publicPaths: publicPaths)
    }

    /// Seed 001's dialect settings from the configuration: its rate limits, the allowed origins and
    /// the model provider `/health` reports.
    func cambioConfiguration(isolation: SandboxIsolation? = nil) -> CambioConfiguration {
        CambioConfiguration(
            requestsPerWindow: configuration.rateLimits.requests, sessionCreationsPerWindow: configuration.rateLimits.sessions,
            webSocketConnectionsPerWindow: configuration.rateLimits.webSockets, allowedOrigins: configuration.corsOrigins,
            modelProvider: configuration.scriptPath != nil ? "scripted" : configuration.apiKey != nil ? "configured" : "missing_api_key",
            version: AgentCoreVersion.string, sandboxIsolation: isolation?.rawValue, authMode: configuration.access.mode.rawValue)
    }

    /// The HTTP stack (`AgentdStack`): the native API, its documentation and metrics, the seeds,
    /// and the middleware around them.
    static func handler(service: SessionService, corsOrigins: [String],
                        cambio: CambioConfiguration = CambioConfiguration(),
                        metrics: HTTPMetrics = HTTPMetrics(), settingsFile: String? = nil,
                        access: AgentdAccess? = nil, apiRateLimit: Int? = nil) throws -> any HTTPHandler {
        try AgentdStack(service: service, corsOrigins: corsOrigins, cambio: cambio, metrics: metrics,
                        settingsFile: settingsFile, access: access, apiRateLimit: apiRateLimit).handler
    }

    /// Seed 002's listener (`--cua-port`): a router holding only its routes (its `GET /api/sessions`
    /// and `GET /api/health` differ from seed 000's on the main port), every answer in its
    /// envelope, behind the same security headers, metrics (counted with the main port's, shown
    /// by its `/metrics`) and CORS.
    /// - Parameter makeModelClient: the model client of a task created with its own `api_key`.
    static func cuaHandler(service: SessionService, corsOrigins: [String], metrics: HTTPMetrics = HTTPMetrics(),
                           makeModelClient: @escaping @Sendable (String) -> any ModelClient) -> any HTTPHandler {
        var router = Router()
        BrowserTasksAPI(service: service, makeModelClient: makeModelClient).register(on: &router)
        let cors = CORSMiddleware(wrapping: BrowserTasksAPI.enveloped(router), allowedOrigins: corsOrigins,
                                  allowedMethods: ["GET", "POST", "PUT"])
        return SecurityHeadersMiddleware(wrapping: MetricsMiddleware(wrapping: cors, metrics: metrics, routes: router))
    }

}
