import AgentCore
import AgentTesting
import Foundation

/// `make bench`: measurements printed as one JSON document on stdout.
///
/// `agentbench` runs every benchmark; `agentbench loop [STEPS]` only the agent loop;
/// `agentbench desktop [ROUNDS]` only the desktop; `agentbench sessions [store|e2e|fanout|idle]` only the session service;
/// `agentbench http [ROUNDS]` agentd's HTTP server against its peers (needs wrk; see `HTTPBenchmark`);
/// `agentbench platform [auth|login|sandbox|executions|cancel]` accounts and seed 003's sandboxed
/// executions (needs agentd beside this binary and wrk; see `PlatformBenchmark`);
/// `agentbench serve-fake [loop TURNS]` is the child process that hosts the fake Messages API.
@main
struct AgentBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "serve-fake":
            try serveFake(Array(arguments.dropFirst()))
        case "loop":
            let steps = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
            print(try await LoopBenchmark(steps: steps).run().serialized())
        case "desktop":
            let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 20 : 20
            print(JSONValue.array(try await DesktopBenchmark(rounds: rounds).run()).serialized())
        case "http":
            let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 3 : 3
            print(JSONValue.array(try HTTPBenchmark(rounds: rounds).run()).serialized())
        case "calls":
            print(try await ModelCallRun().run().serialized())
        case "sessions":
            let only = arguments.count > 1 ? arguments[1] : nil
            print(JSONValue.array(try await SessionBenchmark(only: only).run()).serialized())
        case "platform":
            let only = arguments.count > 1 ? arguments[1] : nil
            print(JSONValue.array(try await PlatformBenchmark(only: only).run()).serialized())
        default:
            let loop = try await LoopBenchmark(steps: 1000).run()
            let desktop = try await DesktopBenchmark(rounds: 20).run()
            let calls = try await ModelCallRun().run()
            let sessions = try await SessionBenchmark().run()
            let platform = try await PlatformBenchmark().run()
            let report: JSONValue = [
                "machine": ["cores": .int(ProcessInfo.processInfo.activeProcessorCount)],
                "benchmarks": .array([loop, calls] + desktop + sessions + platform),
            ]
            print(report.serialized())
        }
    }

    /// Hosts a fake Messages API that answers every request at once; prints its port, and exits when
    /// standard input closes.
    ///
    /// With no mode every reply calls the `noop` tool; with `loop TURNS` replies follow
    /// `ToolLoopResponder` (TURNS calls of the `note` tool per task, then a closing text).
    static func serveFake(_ mode: [String]) throws {
        let server = try FakeMessagesServer()
        server.recordsRequests = false
        server.validatesRequests = false
        if mode.first == "loop" {
            // The responder counts turns in the raw body (the driver's tasks start with "Task "), so
            // the fake model spends no time parsing the conversation: its CPU is not agentd's.
            let responder = ToolLoopResponder(turnsPerTask: mode.count > 1 ? Int(mode[1]) ?? 10 : 10)
            server.setResponder { responder.reply(toBody: $0.body, taskMarker: #""text":"Task "#) }
        } else {
            server.setResponder { _ in .toolUse(name: "noop", input: ["n": 1]) }
        }
        print(server.port)
        fflush(nil)
        while readLine() != nil {}
        server.stop()
    }
}
