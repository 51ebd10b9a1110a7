import AgentCore
import CommandLineSupport
import Foundation

/// `agentctl agents execute ID --payload JSON|@FILE`: runs the agent's ready version once with
/// the payload (seed 003 "Runtime Execution") and prints what it returned.
///
/// Exits 0 when the execution completed, printing its `output_data` (the whole execution with
/// `--json`), and 1 when it failed or was cancelled, with its `error_message` on standard error.
struct ExecuteCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "execute",
        help: Help(
            command: "agentctl agents execute", overview: "Run an agent once and print its output.",
            usage: "agentctl agents execute ID [--payload JSON|@FILE] [--json]",
            arguments: [("ID", "The agent's id.")],
            options: [("--payload JSON|@FILE", "The JSON object the agent's handler gets, or @FILE holding it (@- reads standard input; default: {}).")]
                + RemoteOptions.rows),
        parse: { cursor in
            let payload = try cursor.takeValue("--payload").map(Self.payload) ?? [:]
            return ExecuteCommand(id: try PlatformText.id(cursor.positionals("ID")[0]), payload: payload)
        })

    let id: String
    let payload: JSONValue

    /// The payload from `--payload`: JSON text, or `@FILE` for a file's (`-` is standard input).
    /// - Throws: `UsageError` when the file cannot be read or the JSON is not an object.
    static func payload(_ argument: String) throws -> JSONValue {
        var text = argument
        if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            guard let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path) else {
                throw UsageError("Cannot read the payload file '\(path)'")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        guard let value = try? JSONValue(parsing: text) else {
            throw UsageError("The payload \(argument.hasPrefix("@") ? "in '\(argument.dropFirst())' " : "")is not valid JSON")
        }
        guard value.objectValue != nil else { throw UsageError("The payload must be a JSON object, such as {\"input\": \"hi\"}") }
        return value
    }

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let execution = try await remote.client.json("POST", "/api/v1/runtime/\(id)/execute", body: ["payload": payload])
        return Self.report(execution, remote)
    }

    /// Prints an ended execution and returns its exit code: 0 when it completed.
    static func report(_ execution: JSONValue, _ remote: Remote) -> ExitCode {
        let status = execution["status"]?.stringValue ?? "?"
        if remote.json {
            remote.printJSON(execution)
        } else if status == "completed" {
            remote.output.out(PlatformText.json(execution["output_data"] ?? .null) + "\n")
        }
        guard status == "completed" else {
            let id = PlatformText.text(execution["id"], "?")
            let reason = execution["error_message"]?.stringValue.map { ": \($0)" } ?? ""
            remote.output.err("agentctl: execution \(id) \(status)\(reason)\n")
            if !remote.json, let logs = execution["logs"]?.stringValue, !logs.isEmpty {
                remote.output.err(logs.hasSuffix("\n") ? logs : logs + "\n")
            }
            return .failure
        }
        return .success
    }
}
