import AgentCore
import AgentTesting
import Foundation

/// Model calls alone (`agentbench calls`): `concurrency` tasks share one `AnthropicClient` and send
/// the same one-turn request `callsPerTask` times each to the fake Messages API (a child process
/// answering with a `note` tool call over real HTTP and SSE). What a turn of the session benchmark
/// spends outside the agent loop and the store; the fake server's CPU is reported beside it.
struct ModelCallRun {
    var concurrency = 50
    var callsPerTask = 400

    func run() async throws -> JSONValue {
        let child = try FakeServerProcess.start(arguments: ["loop", "10"])
        defer { child.stop() }
        let client = AnthropicClient(apiKey: "bench-key", baseURL: "http://127.0.0.1:\(child.port)")
        let request = MessageRequest(model: "claude-sonnet-4-6", maxTokens: 1024,
                                     messages: [Message.user("Task 1: take notes.")],
                                     tools: [ToolLoopResponder.noteTool.definition])
        let cpuBefore = ProcessStats.cpuSeconds()
        let serverBefore = ProcessStats.cpuSeconds(pid: child.pid)
        let start = DispatchTime.now().uptimeNanoseconds
        let calls = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask { [callsPerTask] in
                    var answered = 0
                    for _ in 0..<callsPerTask {
                        var toolCalls = 0
                        for try await event in client.send(request) {
                            if case .completed(let response) = event { toolCalls = response.assistantMessage.toolUses.count }
                        }
                        if toolCalls == 1 { answered += 1 }
                    }
                    return answered
                }
            }
            return try await group.reduce(0, +)
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = ProcessStats.cpuSeconds() - cpuBefore
        let server = ProcessStats.cpuSeconds(pid: child.pid) - serverBefore
        let perCall = { (seconds: Double) -> JSONValue in .double((seconds * 1e7 / Double(max(1, calls))).rounded() / 10) }
        return [
            "name": "model_calls_concurrent",
            "concurrency": .int(concurrency),
            "calls": .int(calls),
            "calls_per_second": .double(Double(calls) / wall),
            "client_cpu_us_per_call": perCall(cpu),
            "fake_server_cpu_us_per_call": perCall(server),
            "note": "the transport, SSE decoding and stream accumulation of one turn, without the agent loop or the store",
        ]
    }
}
