import AgentCore
import AgentTesting
import CommandLineSupport
import Foundation
import Testing
@testable import agentd

/// Seed S0's DEPLOYMENT.md ("Environment Configuration", `.env.prod`, the compose health check):
/// agentd honours the same variables with the same values.
@Suite(.timeLimit(.minutes(1)))
struct S0DeploymentEnvironmentTests {
    /// `.env.prod` as the deployment guide writes it.
    static let production = [
        "ANTHROPIC_API_KEY": "your_production_api_key", "API_PROVIDER": "anthropic", "MODEL_NAME": "claude-sonnet-4-20250514",
        "DATABASE_URL": "sqlite:///data/computer_use.db", "WIDTH": "1024", "HEIGHT": "768", "LOG_LEVEL": "INFO",
        "CORS_ORIGINS": "https://yourdomain.com",
    ]

    @Test func theProductionEnvironmentFileIsHonoured() throws {
        var cursor = ArgumentCursor([])
        let configuration = try DaemonConfiguration(parsing: &cursor, environment: Self.production, currentDirectory: "/app")
        #expect(configuration.apiKey == "your_production_api_key")
        #expect(configuration.provider == "anthropic")
        #expect(configuration.model == "claude-sonnet-4-20250514")
        #expect(configuration.databasePath == "/app/data/computer_use.db")  // three slashes: relative to the working directory
        #expect(configuration.desktopWidth == 1024 && configuration.desktopHeight == 768)
        #expect(configuration.logLevel == .info)
        #expect(configuration.corsOrigins == ["https://yourdomain.com"])
    }

    /// The compose file's health check (`curl -f http://localhost:8000/api/health`) against agentd
    /// started with the deployment's variables; the database lands where `DATABASE_URL` says.
    @Test func agentdStartsWithThemAndAnswersTheComposeHealthCheck() async throws {
        let directory = try TemporaryDirectory()
        var environment = Self.production
        environment["DATABASE_URL"] = "sqlite:///" + directory.file("computer_use.db")
        environment["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9"
        let daemon = try await DaemonProcess.start(
            [], dataDirectory: directory.file("data"), environment: ChildProcess.environment(environment))
        let health = try await daemon.api.get("/api/health")
        #expect(health.status == 200 && health.json["status"] == "healthy")
        let created = try await daemon.api.post("/api/v1/sessions", ["environment": "desktop"])
        #expect(created.json["configuration"]?["model"] == "claude-sonnet-4-20250514")
        #expect(created.json["configuration"]?["environment"] == ["kind": "desktop", "width": 1024, "height": 768])
        #expect(FileManager.default.fileExists(atPath: directory.file("computer_use.db")))
        let result = try #require(await daemon.terminate())
        #expect(result.status == 0)
        #expect(!result.stderr.contains("your_production_api_key"))
        #expect(result.stderr.contains("cors_origins=https://yourdomain.com"))
    }
}
