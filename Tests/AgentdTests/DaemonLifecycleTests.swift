import AgentCore
import AgentTesting
import Foundation
import Testing

/// agentd as an operator runs it: the built binary, its listening line, its logs, and its exit
/// on SIGTERM, with sessions surviving a restart on the same data directory.
@Suite(.timeLimit(.minutes(1)))
struct DaemonLifecycleTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test func startsQuicklyAndAnswersHealth() async throws {
        let script = try writeScript([["text": "hello"]], in: directory.path)
        let daemon = try await DaemonProcess.start(["--script", script], dataDirectory: directory.path + "/data")
        // How fast agentd is ready is a benchmark figure (make bench), not a test assertion.
        let health = try await daemon.api.get("/api/v1/health")
        #expect(health.status == 200)
        #expect(health.json["status"] == "ok")

        let result = try #require(await daemon.terminate())
        #expect(result.status == 0)
        #expect(!result.signalled)
        let log = result.stderr.lines
        #expect(log.contains { $0.contains(" info starting agentd ") && $0.contains("database=\(directory.path)/data/agentd.db") })
        #expect(log.contains { $0.contains(" info listening on http://127.0.0.1:\(daemon.port) ") })
        let access = try #require(log.first { $0.contains(" info request ") })
        #expect(access.contains("method=GET path=/api/v1/health status=200 duration_ms="))
        #expect(access.contains("request_id=req_"))
        #expect(log.contains { $0.contains(" info shutting down signal=TERM") })
        #expect(log.last?.contains(" info stopped ") == true)
        // Text lines start with an RFC 3339 UTC time and a level.
        for line in log {
            #expect(line.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (debug|info|warning|error) "#, options: .regularExpression) != nil,
                    "\(line)")
        }
        // The data directory is private.
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/data")
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test func servesItsDocumentationAndMetrics() async throws {
        let script = try writeScript([["text": "hello"]], in: directory.path)
        let daemon = try await DaemonProcess.start(["--script", script], dataDirectory: directory.path + "/data")
        let document = try await daemon.api.get("/openapi.json")
        #expect(document.status == 200 && document.json["openapi"] == "3.1.0")
        #expect(document.json["paths"]?["/api/v1/sessions/{id}/ws"] != nil)
        _ = try await daemon.api.post("/api/v1/sessions", [:])
        let metrics = try await daemon.api.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains(#"agentd_http_requests_total{route="/api/v1/sessions",method="POST",status="201"} 1"#))
        #expect(metrics.text.contains(#"agentd_sessions{status="idle"} 1"#))
        #expect(try #require(await daemon.terminate()).status == 0)
    }

    @Test func jsonLogsAreOneObjectPerLine() async throws {
        let script = try writeScript([["text": "hello"]], in: directory.path)
        let daemon = try await DaemonProcess.start(
            ["--script", script, "--log-format", "json", "--log-level", "debug"], dataDirectory: directory.path)
        _ = try await daemon.api.get("/api/v1/health")
        let result = try #require(await daemon.terminate())
        #expect(result.status == 0)
        let lines = try result.stderr.lines.map { try JSONValue(parsing: $0) }
        #expect(lines.count >= 4)
        for line in lines {
            #expect(line["time"]?.stringValue?.hasSuffix("Z") == true)
            #expect(line["level"]?.stringValue != nil)
            #expect(line["message"]?.stringValue != nil)
        }
        let access = try #require(lines.first { $0["message"] == "request" })
        #expect(access["status"] == 200)
        #expect(access["method"] == "GET")
        #expect(access["duration_ms"]?.doubleValue != nil)
        #expect(lines.contains { $0["address"]?.stringValue == "127.0.0.1:\(daemon.port)" })
    }

    @Test func sigtermInterruptsARunningSessionAndARestartKeepsIt() async throws {
        // The first turn runs a long command, so the session is mid-tool when the signal arrives.
        let script = try writeScript([
            ["tool_use": [["name": "bash", "input": ["command": "sleep 30"]]]],
            ["text": "never reached"],
        ], in: directory.path)
        let data = directory.path + "/data"
        let first = try await DaemonProcess.start(["--script", script], dataDirectory: data)
        let created = try await first.api.post("/api/v1/sessions", ["message": "Sleep", "tools": ["bash"]])
        #expect(created.status == 201)
        let id = try #require(created.json["id"]?.stringValue)
        #expect(created.json["status"] == "running")
        // Wait until the tool call has started (its event is stored).
        let toolStarted = try await pollUntil(timeout: .seconds(20), every: .milliseconds(50)) {
            try await first.api.get("/api/v1/sessions/\(id)/events?after=0").text.contains("tool_call_started")
        }
        #expect(toolStarted, "the bash call never started")

        let signalledAt = ContinuousClock.now
        let result = try #require(await first.terminate(timeout: .seconds(12)), "agentd did not exit after SIGTERM")
        #expect(ContinuousClock.now - signalledAt < .seconds(10))
        #expect(result.status == 0)
        #expect(!result.signalled)

        let second = try await DaemonProcess.start(["--script", script], dataDirectory: data)
        let session = try await second.api.get("/api/v1/sessions/\(id)")
        #expect(session.status == 200)
        #expect(session.json["status"] == "interrupted")
        #expect(try #require(await second.terminate()).status == 0)
    }

    @Test func sigintStopsItToo() async throws {
        let daemon = try await DaemonProcess.start([], dataDirectory: directory.path)
        daemon.child.send(SIGINT)
        let result = try #require(await daemon.child.finished(timeout: .seconds(10)))
        #expect(result.status == 0)
        #expect(result.stderr.contains("shutting down signal=INT"))
    }
}
