/// Anthropic's `bash` tool: one persistent shell per session.
///
/// The first call starts `/bin/bash --noprofile --norc` in the session's working directory, in its own
/// process group, with agentd's environment minus secrets plus `ToolContext.environment`. Environment
/// variables and the current directory survive between calls. Each value owns one shell: copies of the
/// value share it, so give each session its own `BashTool` and call `shutdown()` when the session ends
/// (releasing the last copy also kills the shell, in the background).
///
/// ```swift
/// let bash = BashTool()
/// let context = ToolContext(sessionID: "s1", workingDirectory: "/srv/agentd/s1")
/// _ = try await bash.run(["command": "cd /tmp && export X=1"], context: context)
/// let result = try await bash.run(["command": "echo $X; pwd"], context: context)
/// result.output  // "1\n/tmp"
/// await bash.shutdown()
/// ```
///
/// Results, in the shape of the reference demo (reference §6.3):
/// - stdout goes to `output` and stderr to `error`, each with one trailing newline removed and clipped to
///   `maxOutputCharacters` with the standard `<response clipped>` notice; empty streams are nil.
/// - A non-zero exit status adds the system note `exit status N` (the demo reports none).
/// - A command still running after `timeout` seconds returns its partial stdout with the error
///   `timed out: bash has not returned in 120.0 seconds and must be restarted` and the system note
///   `tool must be restarted`; the shell is killed, and every later call throws that error until
///   `{"restart": true}`.
/// - If bash exits (`exit 3`): error `bash has exited with returncode 3`, system `tool must be
///   restarted`; every later call returns the same until restarted.
/// - In both cases any stderr the command wrote comes first in `error`, on the lines before the message.
///
/// Commands run with stdin from `/dev/null`, so `cat` or `read` without input return at once instead of
/// waiting on the pipe the shell reads its commands from; an interactive program that ignores stdin and
/// never exits is stopped by the timeout.
public struct BashTool: Tool {
    /// Secret variables removed from the shell's environment by default, on top of the always-applied
    /// rules (`ANTHROPIC_API_KEY`, `SECRET_KEY`, and names ending in `_API_KEY`, `_TOKEN`, `_SECRET` or
    /// `_PASSWORD`).
    public static let defaultSecretNames: Set<String> = [
        "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_API_KEY",
        "GITHUB_TOKEN", "GH_TOKEN", "HF_TOKEN", "NPM_TOKEN",
        "AGENTD_JWT_SECRET", "AGENTD_ADMIN_PASSWORD", "DATABASE_URL",
    ]

    /// The tool version named in `definition`.
    public let version: BashVersion
    /// Seconds a command may run before the session is declared timed out.
    public let timeout: Double
    /// The most characters of stdout (and of stderr) returned per command.
    public let maxOutputCharacters: Int
    /// Extra environment variable names removed from the shell's environment.
    public let scrubbedEnvironmentNames: Set<String>

    private let session: BashSession

    /// Creates a tool with its own (not yet started) shell.
    ///
    /// - Parameters:
    ///   - version: The `type` sent in the tool definition.
    ///   - timeout: Seconds before a command is abandoned (reference §6.3: 120).
    ///   - maxOutputCharacters: The cap on stdout and on stderr per command (reference §6.4: 16000).
    ///   - scrubbedEnvironmentNames: Environment variables the shell must not see.
    public init(
        version: BashVersion = .v20250124,
        timeout: Double = 120,
        maxOutputCharacters: Int = 16000,
        scrubbedEnvironmentNames: Set<String> = BashTool.defaultSecretNames
    ) {
        precondition(timeout > 0, "timeout must be positive")
        precondition(maxOutputCharacters > 0, "maxOutputCharacters must be positive")
        self.version = version
        self.timeout = timeout
        self.maxOutputCharacters = maxOutputCharacters
        self.scrubbedEnvironmentNames = scrubbedEnvironmentNames
        session = BashSession(configuration: .init(
            timeout: timeout,
            scrubbedEnvironmentNames: scrubbedEnvironmentNames,
            limits: .init(
                // Room for `maxOutputCharacters` four-byte characters, and at least 4 MiB, per stream.
                captureBytes: max(4 << 20, maxOutputCharacters.multipliedReportingOverflow(by: 4).partialValue + 64),
                stderrGrace: 0.5
            )
        ))
    }

    /// `bash`.
    public var name: String { "bash" }

    /// `{"type": "bash_20250124", "name": "bash"}` (reference §5.1).
    public var definition: JSONValue {
        ["type": .string(version.rawValue), "name": "bash"]
    }

    /// Runs `{"command": "…"}` or `{"restart": true}`.
    ///
    /// - Throws: `ToolError("no command provided.")` without either; `ToolError` with the timed-out
    ///   message after a timeout until restarted; `CancellationError` when the task is cancelled (the
    ///   shell is then killed and the next call starts a new one).
    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        if input["restart"]?.boolValue == true {
            try await session.restart(context: context)
            // reference §6.3 ⚠: the demo returns only the system note, which becomes an empty content
            // list; we send the text too.
            return ToolOutput(output: BashMessages.restarted, system: BashMessages.restarted)
        }
        guard let command = input["command"]?.stringValue else {
            throw ToolError(BashMessages.noCommand)  // reference §6.3
        }
        switch try await session.execute(command, context: context) {
        case .finished(let stdout, let stderr, let status):
            return ToolOutput(
                output: text(stdout), error: text(stderr),
                system: status == 0 ? nil : BashMessages.exitStatus(status)
            )
        case .timedOut(let stdout, let stderr):
            return ToolOutput(
                output: text(stdout), error: failure(BashMessages.timedOut(after: timeout), after: stderr),
                system: BashMessages.mustRestart
            )
        case .exited(let returnCode, let stdout, let stderr):
            return ToolOutput(
                output: text(stdout), error: failure(BashMessages.exited(returnCode: returnCode), after: stderr),
                system: BashMessages.mustRestart
            )
        }
    }

    /// Kills the shell's whole process group, background jobs included, and waits until all of it is
    /// reaped. The session calls this at teardown; a later `run` would start a new shell.
    public func shutdown() async {
        await session.shutdown()
    }

    /// The running shell's pid, or nil before the first command and after `shutdown()`.
    var shellProcessID: Int32? {
        get async { await session.shellProcessID }
    }

    private func text(_ captured: CapturedBytes) -> String? {
        let text = BashOutputText.render(captured, limit: maxOutputCharacters)
        return text.isEmpty ? nil : text
    }

    /// `message`, preceded by the stderr the command wrote before it failed (the reason a shell exited,
    /// a build's progress before a timeout), which the demo drops.
    private func failure(_ message: String, after stderr: CapturedBytes) -> String {
        guard let stderr = text(stderr) else { return message }
        return stderr + "\n" + message
    }
}
