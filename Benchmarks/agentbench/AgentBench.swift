import AgentCore
import AgentTesting
import Foundation

/// `make bench`: measurements printed as one JSON document on stdout.
///
/// `agentbench` runs every benchmark; `agentbench loop [STEPS]` only the agent loop;
/// `agentbench serve-fake` is the child process that hosts the fake Messages API.
@main
struct AgentBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "serve-fake":
            try serveFake()
        case "loop":
            let steps = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
            print(try await LoopBenchmark(steps: steps).run().serialized())
        case "desktop":
            let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 20 : 20
            print(JSONValue.array(try await DesktopBenchmark(rounds: rounds).run()).serialized())
        default:
            let loop = try await LoopBenchmark(steps: 1000).run()
            let desktop = try await DesktopBenchmark(rounds: 20).run()
            let report: JSONValue = [
                "machine": ["cores": .int(ProcessInfo.processInfo.activeProcessorCount)],
                "benchmarks": .array([loop] + desktop),
            ]
            print(report.serialized())
        }
    }

    /// Hosts a fake Messages API that answers every request at once with a call to the `noop` tool;
    /// prints its port, and exits when standard input closes.
    static func serveFake() throws {
        let server = try FakeMessagesServer()
        server.recordsRequests = false
        server.validatesRequests = false
        server.setResponder { _ in .toolUse(name: "noop", input: ["n": 1]) }
        print(server.port)
        fflush(nil)
        while readLine() != nil {}
        server.stop()
    }
}
