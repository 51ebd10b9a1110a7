import AgentCore

/// A tool that, when called, opens `entered` and waits for `release` before answering: tests use
/// it to act (pause, stop, send) while a tool call is in progress, without sleeping.
public struct GatedTool: Sendable {
    /// Opened when the tool is first called.
    public let entered = Gate()
    /// The call answers once this is open.
    public let release = Gate()
    public let name: String
    public let output: String

    public init(name: String = "slow", output: String = "ok") {
        self.name = name
        self.output = output
    }

    /// The tool to register.
    public var tool: ClosureTool {
        ClosureTool(name) { [entered, release, output] _ in
            entered.open()
            await release.wait()
            return ToolOutput(output: output)
        }
    }
}
