import AgentCore
import CommandLineSupport
import Foundation
import Synchronization
import Testing
@testable import agentd

/// The log's two formats, its level filter and its masking of secrets.
struct LoggerTests {
    /// Keeps what is written to standard error.
    final class Memory: OutputSink {
        let text = Mutex("")
        func out(_ text: String) {}
        func err(_ text: String) { self.text.withLock { $0 += text } }
        var lines: [String] { text.withLock { $0 }.lines }
    }

    static let fixed: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_416_000) }  // 2026-11-23T06:40:00Z

    @Test func textLines() {
        let memory = Memory()
        let logger = Logger(level: .info, format: .text, output: memory, now: Self.fixed)
        logger.debug("hidden")
        logger.info("listening on http://127.0.0.1:8000", ["address": "127.0.0.1:8000", "startup_ms": 12])
        logger.warning("two words", ["reason": "with space", "empty": "", "ok": true, "ms": .double(1.5)])
        #expect(memory.lines == [
            "2026-11-23T06:40:00Z info listening on http://127.0.0.1:8000 address=127.0.0.1:8000 startup_ms=12",
            #"2026-11-23T06:40:00Z warning two words reason="with space" empty="" ok=true ms=1.5"#,
        ])
    }

    @Test func jsonLines() throws {
        let memory = Memory()
        let logger = Logger(level: .debug, format: .json, output: memory, now: Self.fixed)
        logger.error("it \"broke\"\nbadly", ["status": 500, "path": "/x"])
        let line = try #require(memory.lines.first)
        #expect(line.hasPrefix(#"{"time":"2026-11-23T06:40:00Z","level":"error","message":"it \"broke\" badly","#))
        let json = try JSONValue(parsing: line)
        #expect(json["status"] == 500)
        #expect(json["path"] == "/x")
    }

    @Test func secretsAreMaskedEvenInsideMessages() {
        let memory = Memory()
        let key = "sk-ant-api03-SECRETSECRETSECRET-abcd"
        let logger = Logger(level: .info, format: .text, output: memory, secrets: [key], now: Self.fixed)
        logger.info("upstream said: bad key \(key)", ["key": .string(key)])
        #expect(memory.lines == ["2026-11-23T06:40:00Z info upstream said: bad key sk-ant-…abcd key=sk-ant-…abcd"])
    }

    @Test func masks() {
        #expect(SecretMask.mask("sk-ant-CANARY-1234567890abcd") == "sk-ant-…abcd")
        #expect(SecretMask.mask("abcdefghijklmnopqrstuvwxyz") == "abc…wxyz")
        #expect(SecretMask.mask("short") == "…")
        #expect(SecretMask.maskURL("https://user:pw@proxy.example/v1") == "https://…@proxy.example/v1")
        #expect(SecretMask.maskURL("https://api.anthropic.com") == "https://api.anthropic.com")
    }
}
