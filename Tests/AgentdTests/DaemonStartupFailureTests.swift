import AgentCore
import AgentTesting
import Foundation
import Testing

/// What agentd refuses at start-up: each with a clear message and its exit code (1, or 64 for a
/// bad command line), and nothing left running.
@Suite(.timeLimit(.minutes(1)))
struct DaemonStartupFailureTests {
    let directory: TemporaryDirectory
    let binary: String

    init() throws {
        directory = try TemporaryDirectory()
        binary = try DaemonProcess.binary()
    }

    /// Runs agentd to its exit.
    func agentd(_ arguments: [String], environment: [String: String] = ChildProcess.environment(),
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> ChildProcess.Snapshot {
        let result = try await ChildProcess.run(arguments, environment: environment, binary: binary, timeout: .seconds(20))
        return try #require(result, "agentd \(arguments) did not exit", sourceLocation: sourceLocation)
    }

    @Test func aTakenPortExitsOneNamingThePort() async throws {
        let first = try await DaemonProcess.start([], dataDirectory: directory.path + "/one")
        let result = try await agentd(["--port", String(first.port), "--data-dir", directory.path + "/two"])
        #expect(result.status == 1)
        #expect(!result.signalled)
        #expect(result.stdout.isEmpty)
        let line = try #require(result.stderr.lines.last)
        #expect(line.contains(" error agentd cannot start: cannot listen on 127.0.0.1:\(first.port)"))
        #expect(line.contains("127.0.0.1:\(first.port) is already in use"))
        #expect(try #require(await first.terminate()).status == 0)
    }

    @Test func anUnwritableDataDirectoryExitsOne() async throws {
        // A path below a regular file cannot be created, even by root.
        let file = directory.path + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let result = try await agentd(["--port", "0", "--data-dir", file + "/data"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot create the data directory \(file)/data"))

        let asFile = try await agentd(["--port", "0", "--data-dir", file])
        #expect(asFile.status == 1)
        #expect(asFile.stderr.contains("the data directory \(file) is a file, not a directory"))
    }

    @Test func aReadOnlyDataDirectoryExitsOne() async throws {
        // Root writes through permission bits, so use a file system mounted read-only: /proc/1.
        let result = try await agentd(["--port", "0", "--data-dir", "/proc/self"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the data directory /proc/self is not writable"))
    }

    @Test func aSecondAgentdOnTheSameDatabaseIsRefused() async throws {
        let first = try await DaemonProcess.start([], dataDirectory: directory.path)
        let result = try await agentd(["--port", "0", "--data-dir", directory.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("another agentd is already using it"))
        #expect(try #require(await first.terminate()).status == 0)
    }

    @Test func anInvalidDatabaseURLExitsOne() async throws {
        let result = try await agentd(
            ["--port", "0"], environment: ChildProcess.environment(["DATABASE_URL": "postgres://db.example/agentd"]))
        #expect(result.status == 1)
        #expect(result.stderr.contains("DATABASE_URL uses the 'postgres' scheme"))
    }

    @Test func anUnsupportedProviderExitsOne() async throws {
        let result = try await agentd(["--port", "0"], environment: ChildProcess.environment(["API_PROVIDER": "bedrock"]))
        #expect(result.status == 1)
        #expect(result.stderr == "agentd: API_PROVIDER='bedrock' is not supported: agentd talks to Anthropic's API only for now (unset API_PROVIDER or set it to anthropic)\n")
    }

    @Test func aMissingScriptExitsOne() async throws {
        let result = try await agentd(["--port", "0", "--data-dir", directory.path, "--script", directory.path + "/nope.json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot use the script \(directory.path)/nope.json"))
    }

    @Test func aBadFlagIsAUsageError() async throws {
        let result = try await agentd(["--port", "http"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.lines == [
            "Error: The value 'http' for '--port' must be a whole number from 0 to 65535",
            "Usage: \(DaemonProcessUsage.line)",
            "  See 'agentd --help' for more information.",
        ])
        let unknown = try await agentd(["--verbose"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.lines.first == "Error: Unknown option '--verbose'")
    }

    @Test func helpPrintsTheLayout() async throws {
        let long = try await agentd(["--help"])
        let short = try await agentd(["-h"])
        #expect(long.status == 0)
        #expect(long.stderr.isEmpty)
        #expect(long.stdout.hasPrefix("OVERVIEW: "))
        #expect(long.stdout.contains("\nUSAGE: \(DaemonProcessUsage.line)\n"))
        #expect(long.stdout.contains("\nOPTIONS:\n  --host ADDRESS"))
        #expect(long.stdout.contains("\nENVIRONMENT:\n"))
        #expect(short.stdout == long.stdout)
    }
}

/// The usage line agentd prints.
enum DaemonProcessUsage {
    static let line =
        "agentd [--host ADDRESS] [--port PORT] [--data-dir DIR] [--log-level LEVEL] [--log-format text|json] [--script FILE]"
        + " [--rate-limit N] [--session-rate-limit N] [--ws-rate-limit N] [--api-rate-limit N] [--cua-port PORT]"
        + " [--auth none|required] [--insecure-no-auth] [--no-registration] [--metrics-auth]"
}
