import AgentCore
import AgentTesting
import CommandLineSupport
import Foundation
import Testing
@testable import agentd

/// Seed 002 in the daemon: `--cua-port` (`CUA_PORT`) opens a second listener that serves only
/// S2's routes, beside the main one that serves S0's same-named routes differently.
@Suite(.timeLimit(.minutes(1)))
struct DaemonSeed002Tests {
    func parse(_ arguments: [String], _ environment: [String: String] = [:]) throws -> DaemonConfiguration {
        var cursor = ArgumentCursor(arguments)
        return try DaemonConfiguration(parsing: &cursor, environment: environment, currentDirectory: "/srv/app")
    }

    @Test func theCUAPortIsOffUnlessSetAndTheFlagBeatsTheEnvironment() throws {
        #expect(try parse([]).cuaPort == nil)
        #expect(try parse([], ["CUA_PORT": "5001"]).cuaPort == 5001)
        #expect(try parse(["--cua-port", "0"], ["CUA_PORT": "5001"]).cuaPort == 0)
        #expect(try parse(["--cua-port=5002"]).cuaPort == 5002)
        #expect(throws: UsageError.self) { try parse(["--cua-port", "70000"]) }
        #expect(throws: DaemonError.self) { try parse([], ["CUA_PORT": "five"]) }
        #expect(DaemonConfiguration.helpText.contains("--cua-port PORT") && DaemonConfiguration.helpText.contains("CUA_PORT"))
    }

    /// The real binary with `--cua-port 0`: it prints where S2 listens, the two ports answer
    /// `/api/health` and `/api/sessions` each in their own seed's shape, and a task runs on S2's.
    @Test func theDaemonServesSeed002OnItsOwnPort() async throws {
        let directory = try TemporaryDirectory()
        let script = try writeScript([["text": "The task is done."]], in: directory.path)
        let daemon = try await DaemonProcess.start(["--script", script, "--cua-port", "0"], dataDirectory: directory.path + "/data")
        let printed = await daemon.child.wait(timeout: .seconds(10)) { $0.stdout.lines.count >= 2 }
        let line = try #require(printed?.stdout.lines.dropFirst().first)
        #expect(line.hasPrefix("cua listening on http://127.0.0.1:"))
        let cuaPort = try #require(DaemonProcess.listeningPort(String(line.dropFirst("cua ".count))))
        #expect(cuaPort != daemon.port)
        let cua = APIClient(baseURL: "http://127.0.0.1:\(cuaPort)")

        // Seed 000's health on the main port, seed 002's on its own.
        let mainHealth = try await daemon.api.get("/api/health")
        #expect(mainHealth.status == 200 && mainHealth.json["status"] == "healthy")
        #expect(mainHealth.json.objectValue?.keys.sorted() == ["status", "timestamp", "version"])
        let cuaHealth = try await cua.get("/api/health")
        #expect(cuaHealth.status == 200)
        #expect(cuaHealth.json["success"] == true && cuaHealth.json["message"] == "API is healthy")
        #expect(cuaHealth.json["data"]?["status"] == "ok" && cuaHealth.json["data"]?["active_sessions"] == 0)

        // A task on S2's port runs the script; S0's list is a bare array, S2's an envelope.
        let created = try await cua.post("/api/tasks", ["task": "Say it is done", "environment": "none"])
        #expect(created.status == 200 && created.json["success"] == true)
        let id = try #require(created.json["data"]?["session_id"]?.stringValue)
        let taskID = try #require(created.json["data"]?["task_id"]?.stringValue)
        let finished = try await pollUntil(timeout: .seconds(20)) {
            try await cua.get("/api/status/\(id)/\(taskID)").json["data"]?["status"] == "completed"
        }
        #expect(finished)
        let status = try await cua.get("/api/status/\(id)/\(taskID)")
        #expect(status.json["data"]?["reasoning"]?[0]?["content"]?[0]?["text"] == "The task is done.")
        #expect(try await cua.get("/api/sessions").json["data"]?["sessions"]?[0]?["id"] == .string(id))
        #expect(try await daemon.api.get("/api/sessions").json.arrayValue?.first?["id"] == .string(id))
        #expect(try await cua.get("/api/v1/health").status == 404)
        #expect(try await cua.get("/api/health").text.contains("\"success\":true"))

        let result = try #require(await daemon.terminate())
        #expect(result.status == 0)
        #expect(result.stderr.lines.contains { $0.contains(" info seed 002 (browser tasks) listening on http://127.0.0.1:\(cuaPort)") })
        #expect(result.stderr.lines.contains { $0.contains("path=/api/tasks status=200") })
        // The task secret in the status path is not logged.
        #expect(result.stderr.lines.contains { $0.contains("path=/api/status/\(id)/[task_id] status=200") })
        #expect(!result.stderr.contains(taskID))
    }

    @Test func aTakenCUAPortRefusesToStart() async throws {
        let directory = try TemporaryDirectory()
        let first = try await DaemonProcess.start(["--cua-port", "0"], dataDirectory: directory.path + "/one")
        let printed = await first.child.wait(timeout: .seconds(10)) { $0.stdout.lines.count >= 2 }
        let line = try #require(printed?.stdout.lines.dropFirst().first)
        let taken = try #require(DaemonProcess.listeningPort(String(line.dropFirst("cua ".count))))

        let second = try await ChildProcess.run(
            ["--port", "0", "--cua-port", String(taken), "--data-dir", directory.path + "/two"],
            environment: ChildProcess.environment(), binary: try DaemonProcess.binary(), timeout: .seconds(20))
        let result = try #require(second)
        #expect(result.status == 1 && result.stdout.isEmpty)
        let message = try #require(result.stderr.lines.last)
        #expect(message.contains("agentd cannot start: cannot listen on 127.0.0.1:\(taken) (--cua-port)"))
        #expect(message.contains("is already in use"))
        #expect(try #require(await first.terminate()).status == 0)
    }
}
