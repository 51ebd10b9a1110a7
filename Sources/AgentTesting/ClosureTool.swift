public import AgentCore

/// A tool that runs a closure: for tests and examples that need a tool with chosen behaviour.
public struct ClosureTool: Tool {
    public let name: String
    let body: @Sendable (JSONValue) async throws -> ToolOutput

    public init(_ name: String, _ body: @escaping @Sendable (JSONValue) async throws -> ToolOutput) {
        self.name = name
        self.body = body
    }

    public var definition: JSONValue {
        ["name": .string(name), "description": "test tool", "input_schema": ["type": "object"]]
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await body(input)
    }
}
