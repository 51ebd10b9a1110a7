import AgentCore
import CommandLineSupport
import Foundation

/// `agentctl sessions screenshot ID -o FILE`: saves the session's latest screenshot.
struct ScreenshotCommand: RemoteCommand {
    static let spec = CommandSpec(
        name: "screenshot",
        help: Help(
            command: "agentctl sessions screenshot", overview: "Save a session's latest screenshot.",
            usage: "agentctl sessions screenshot ID -o FILE [--json]",
            arguments: [("ID", "The session's id.")],
            options: [("-o, --output FILE", "Where to write the image (PNG).")] + RemoteOptions.rows),
        parse: { cursor in
            let file = try cursor.takeValue("-o") ?? cursor.takeValue("--output")
            let id = try cursor.positionals("ID")[0]
            guard let file, !file.isEmpty else { throw UsageError("Missing '-o FILE'") }
            return ScreenshotCommand(id: id, file: file)
        })

    let id: String
    let file: String

    func run(_ remote: Remote) async throws(RemoteError) -> ExitCode {
        let response = try await remote.client.send("GET", "/api/v1/sessions/\(AgentdClient.escape(id))/screenshots/latest")
        try AgentdClient.check(response)
        do {
            try Data(response.body).write(to: URL(fileURLWithPath: file))
        } catch {
            throw .failed("cannot write \(file): \(error.localizedDescription)")
        }
        let mediaType = response.head.header("Content-Type") ?? "image/png"
        remote.show(["path": .string(file), "bytes": .int(response.body.count), "media_type": .string(mediaType)], text: "wrote \(response.body.count) bytes (\(mediaType)) to \(file)\n")
        return .success
    }
}
