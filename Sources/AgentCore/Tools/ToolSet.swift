/// The tools one agent may call, by name, in the order their definitions are sent.
public struct ToolSet: Sendable {
    public private(set) var tools: [any Tool]

    public init(_ tools: [any Tool] = []) {
        self.tools = []
        for tool in tools { add(tool) }
    }

    /// Adds a tool, replacing one with the same name.
    public mutating func add(_ tool: any Tool) {
        tools.removeAll { $0.name == tool.name }
        tools.append(tool)
    }

    /// The tool the model calls `name`, if any.
    public func tool(named name: String) -> (any Tool)? {
        tools.first { $0.name == name }
    }

    /// The request's `tools` array.
    public var definitions: [JSONValue] { tools.map(\.definition) }

    public var names: [String] { tools.map(\.name) }

    public var isEmpty: Bool { tools.isEmpty }
}
