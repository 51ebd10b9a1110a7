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
        var heap: [Int: Int] = [:]  // in-use heap bytes at a few step numbers
        let probes = Set([min(100, steps), steps / 2 + 50, steps])
        let cpuBefore = ProcessStats.cpuSeconds()
        let wallStart = DispatchTime.now().uptimeNanoseconds
        var finish: FinishReason?
        for await event in await agent.run("Call noop until told to stop.") {
            switch event {
            case .turnStarted(let turn):
                stepStarts.append(DispatchTime.now().uptimeNanoseconds)
                if turn == min(100, steps) { rssAfterWarmup = ProcessStats.residentBytes() }
                if probes.contains(turn) { heap[turn] = ProcessStats.heapBytesInUse() }
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
        func heapGrowth(_ from: Int, _ to: Int) -> Double {
            guard let a = heap[from], let b = heap[to], to > from else { return 0 }
            return (Double(b - a) / Double(to - from)).rounded()
        }
        let firstHalf = heapGrowth(min(100, steps), steps / 2 + 50)
        let secondHalf = heapGrowth(steps / 2 + 50, steps)
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
            "heap_growth_bytes_per_step_first_half": .double(firstHalf),
            "heap_growth_bytes_per_step_second_half": .double(secondHalf),
            "conversation_bytes_per_step": .double((Double(conversationBytes) / Double(measuredSteps)).rounded()),
            "goal": "p50 < 1 ms; heap grows by the same amount per step late in a run as early (only the stored conversation grows)",
            "goal_met": .bool(percentile(0.5) < 1.0 && secondHalf <= firstHalf * 1.5 + 512),
        ]
    }

    private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
