/// A capability the model can invoke by name.
///
/// Tools are values; any process state they need (a shell, a desktop) lives in an actor the value
/// references. A tool that fails throws `ToolError` (or returns an output with `error` set): the model
/// sees an `is_error` result and the turn goes on. Only cancellation ends the turn.
///
/// ```swift
/// struct Clock: Tool {
///     let name = "clock"
///     var definition: JSONValue {
///         ["name": "clock", "description": "Current time", "input_schema": ["type": "object"]]
///     }
///     func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
///         ToolOutput(output: "12:00")
///     }
/// }
/// ```
public protocol Tool: Sendable {
    /// The name the model calls the tool by (`bash`, `str_replace_based_edit_tool`, `computer`, …).
    var name: String { get }
    /// The entry sent in the request's `tools` array.
    var definition: JSONValue { get }
    /// Runs one call.
    /// - Throws: `ToolError` for a failure the model should see; `CancellationError` when stopped.
    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput
}

/// A tool failure whose message the model sees as an `is_error` result.
public struct ToolError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a tool call produced, in the shape of the reference demo's `ToolResult`.
public struct ToolOutput: Sendable, Hashable {
    /// Text for the model.
    public var output: String?
    /// An error text; when set, the result is an error and no image is sent.
    public var error: String?
    /// An image (a screenshot) for the model.
    public var image: ToolImage?
    /// A note from the tool host, rendered as `<system>…</system>` before the text.
    public var system: String?

    public init(output: String? = nil, error: String? = nil, image: ToolImage? = nil, system: String? = nil) {
        self.output = output
        self.error = error
        self.image = image
        self.system = system
    }

    public var isError: Bool { error != nil }
}

/// Encoded image bytes produced by a tool.
public struct ToolImage: Sendable, Hashable {
    public var data: [UInt8]
    public var mediaType: String
    public init(data: [UInt8], mediaType: String = "image/png") {
        self.data = data
        self.mediaType = mediaType
    }
}

/// Everything a tool call may need, passed explicitly (no singletons).
public struct ToolContext: Sendable {
    /// The session the call belongs to.
    public var sessionID: String
    /// The session's working directory: the shell starts there.
    public var workingDirectory: String
    /// Extra environment for processes the tool starts (for example `DISPLAY`).
    public var environment: [String: String]

    public init(sessionID: String, workingDirectory: String, environment: [String: String] = [:]) {
        self.sessionID = sessionID
        self.workingDirectory = workingDirectory
        self.environment = environment
    }
}
