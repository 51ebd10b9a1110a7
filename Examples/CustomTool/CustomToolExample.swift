// An agent with a tool of your own, using only the AgentCore library.
//
//   swift run CustomToolExample            # offline: a scripted model calls the tool
//   ANTHROPIC_API_KEY=… swift run CustomToolExample   # the same task with Claude
import AgentCore
import Foundation

/// A tool of our own: rolls dice. The model sees its name, description and input schema.
struct DiceTool: Tool {
    let name = "roll_dice"

    var definition: JSONValue {
        [
            "name": "roll_dice",
            "description": "Rolls `count` dice with `sides` sides each and returns the values and their sum.",
            "input_schema": [
                "type": "object",
                "properties": [
                    "count": ["type": "integer", "minimum": 1, "maximum": 100],
                    "sides": ["type": "integer", "minimum": 2, "maximum": 1000],
                ],
                "required": ["count", "sides"],
            ],
        ]
    }

    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        guard let count = input["count"]?.intValue, (1...100).contains(count),
              let sides = input["sides"]?.intValue, (2...1000).contains(sides) else {
            throw ToolError("count must be 1...100 and sides 2...1000")  // the model sees this and can retry
        }
        let rolls = (0..<count).map { _ in Int.random(in: 1...sides) }
        return ToolOutput(output: "rolled \(rolls.map(String.init).joined(separator: ", ")) (sum \(rolls.reduce(0, +)))")
    }
}

@main
struct CustomToolExample {
    static func main() async throws {
        let model: any ModelClient
        if ProcessInfo.processInfo.environment["ANTHROPIC_API_KEY"] != nil {
            model = try AnthropicClient.fromEnvironment()
        } else {
            model = try ScriptedModelClient(script: [
                ["text": "Rolling.", "tool_use": [["name": "roll_dice", "input": ["count": 3, "sides": 6]]]],
                ["text": "I rolled three six-sided dice; the results are above."],
            ])
        }
        let agent = Agent(model: model, tools: ToolSet([DiceTool()]),
                          configuration: AgentConfiguration(limits: AgentLimits(maxSteps: 5)))
        var toolRan = false
        var ending: FinishReason?
        for await event in await agent.run("Roll three six-sided dice and tell me the sum.") {
            switch event {
            case .textDelta(let text): print(text, terminator: "")
            case .assistantMessage: print()
            case .toolCallFinished(let outcome):
                toolRan = outcome.call.name == "roll_dice" && !outcome.isError
                print("  [\(outcome.call.name)] \(outcome.output ?? outcome.error ?? "")")
            case .finished(let reason): ending = reason
            default: break
            }
        }
        guard let ending, ending.isSuccess, toolRan else {
            FileHandle.standardError.write(Data("example failed: \(ending?.description ?? "no ending"), tool ran: \(toolRan)\n".utf8))
            exit(1)
        }
    }
}
