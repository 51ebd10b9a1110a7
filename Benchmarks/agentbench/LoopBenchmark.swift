import AgentCore
import Foundation

/// A tool that does nothing: what is measured is the loop around it.
struct NoopTool: Tool {
    let name = "noop"
    var definition: JSONValue { ["name": "noop", "description": "Does nothing.", "input_schema": ["type": "object"]] }
    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput { ToolOutput(output: "ok") }
}

/// Per-step overhead of the agent loop: `steps` turns against a fake Messages API (in a child
/// process, answering at once over real HTTP and SSE), each calling a no-op tool.
struct LoopBenchmark {
    let steps: Int

    func run() async throws -> JSONValue {
        let child = try FakeServerProcess.start()
        defer { child.stop() }
        let client = AnthropicClient(apiKey: "bench-key", baseURL: "http://127.0.0.1:\(child.port)")
        let agent = Agent(
            model: client, tools: ToolSet([NoopTool()]),
            configuration: AgentConfiguration(limits: AgentLimits(maxSteps: steps), stallThreshold: 0))

        var stepStarts: [UInt64] = []
        stepStarts.reserveCapacity(steps + 1)
        var rssAfterWarmup = 0
        let cpuBefore = ProcessStats.cpuSeconds()
        let wallStart = DispatchTime.now().uptimeNanoseconds
        var finish: FinishReason?
        for await event in await agent.run("Call noop until told to stop.") {
            switch event {
            case .turnStarted(let turn):
                stepStarts.append(DispatchTime.now().uptimeNanoseconds)
                if turn == min(100, steps) { rssAfterWarmup = ProcessStats.residentBytes() }
            case .finished(let reason): finish = reason
            default: break
            }
        }
        stepStarts.append(DispatchTime.now().uptimeNanoseconds)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
        let cpu = ProcessStats.cpuSeconds() - cpuBefore
        let rssEnd = ProcessStats.residentBytes()
        let conversationBytes = await agent.messages.reduce(0) { $0 + $1.json.serializedBytes().count }

        var perStep = zip(stepStarts.dropFirst(), stepStarts).map { Double($0 - $1) / 1e6 }.sorted()
        if perStep.isEmpty { perStep = [0] }
        func percentile(_ p: Double) -> Double {
            perStep[min(perStep.count - 1, Int((Double(perStep.count) * p).rounded(.down)))]
        }
        let measuredSteps = max(1, stepStarts.count - 1)
        let growthPerStep = Double(rssEnd - rssAfterWarmup) / Double(max(1, steps - min(100, steps)))
        return [
            "name": "agent_loop_step",
            "steps": .int(measuredSteps),
            "finished": .string(finish?.kind.rawValue ?? "none"),
            "p50_ms": .double(round3(percentile(0.5))),
            "p99_ms": .double(round3(percentile(0.99))),
            "mean_ms": .double(round3(wall * 1000 / Double(measuredSteps))),
            "client_cpu_us_per_step": .double(round3(cpu * 1e6 / Double(measuredSteps))),
            "rss_mb_after_100_steps": .double(round3(Double(rssAfterWarmup) / 1e6)),
            "rss_mb_end": .double(round3(Double(rssEnd) / 1e6)),
            "rss_growth_bytes_per_step": .double(growthPerStep.rounded()),
            "conversation_bytes_per_step": .double((Double(conversationBytes) / Double(measuredSteps)).rounded()),
            "goal": "p50 < 1 ms; RSS growth per step no more than the stored conversation's",
            "goal_met": .bool(percentile(0.5) < 1.0),
        ]
    }

    private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
