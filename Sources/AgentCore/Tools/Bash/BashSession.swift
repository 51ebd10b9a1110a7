import Foundation

/// The persistent shell behind one `BashTool` value, and its lifecycle.
///
/// States: no shell yet (started lazily on the first command), running, timed out, exited. A timed-out
/// or exited shell is killed at once, but the session keeps answering "must be restarted" until a
/// `restart`, as the reference demo does (reference §6.3). Cancellation kills the shell and the next
/// command starts a fresh one. When the actor is released, its `ShellProcess` kills the process group.
actor BashSession {
    /// Limits and settings fixed for the session's lifetime.
    struct Configuration: Sendable {
        var timeout: Double
        var scrubbedEnvironmentNames: Set<String>
        var limits: ShellIO.Limits
    }

    /// How a command ended, with raw output for `BashTool` to render.
    enum CommandResult: Sendable, Equatable {
        case finished(stdout: CapturedBytes, stderr: CapturedBytes, status: Int32)
        case timedOut(stdout: CapturedBytes, stderr: CapturedBytes)
        case exited(returnCode: Int32, stdout: CapturedBytes, stderr: CapturedBytes)
    }

    private enum Phase {
        case idle
        case running(ShellProcess)
        case timedOut
        case exited(returnCode: Int32)

        var shell: ShellProcess? {
            if case .running(let shell) = self { return shell }
            return nil
        }
    }

    let configuration: Configuration
    private var phase = Phase.idle
    private var commandInFlight = false

    init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The running shell's pid, if any (for tests and diagnostics).
    var shellProcessID: Int32? { phase.shell?.pid }

    /// Runs `command` in the shell, starting it first if needed.
    ///
    /// - Throws: `ToolError` when the session timed out (until restarted), a command is already running,
    ///   or bash cannot be started; `CancellationError` when the task is cancelled.
    func execute(_ command: String, context: ToolContext) async throws -> CommandResult {
        try Task.checkCancellation()
        guard !commandInFlight else { throw ToolError(BashMessages.busy) }
        let shell: ShellProcess
        switch phase {
        case .timedOut:
            // reference §6.3: "Every later call raises the same message until the session is restarted."
            throw ToolError(BashMessages.timedOut(after: configuration.timeout))
        case .exited(let returnCode):
            // reference §6.3: "If bash has exited, the result has system `tool must be restarted`".
            return .exited(returnCode: returnCode, stdout: .empty, stderr: .empty)
        case .running(let running):
            shell = running
        case .idle:
            shell = try start(context: context)  // reference §6.3: "started lazily on the first call"
            phase = .running(shell)
        }

        commandInFlight = true
        defer { commandInFlight = false }
        let outcome = await shell.run(command, timeout: configuration.timeout)
        // A restart or shutdown may have replaced the shell while the command ran.
        let isCurrent = phase.shell === shell
        switch outcome {
        case .finished(let stdout, let stderr, let status):
            return .finished(stdout: stdout, stderr: stderr, status: status)
        case .timedOut(let stdout, let stderr):
            // reference §6.3: "On timeout, mark the session timed out". The demo leaves the command
            // running until the restart; we stop it now so a runaway `yes` costs nothing meanwhile.
            if isCurrent { phase = .timedOut }
            await shell.terminate()
            return .timedOut(stdout: stdout, stderr: stderr)
        case .exited(let returnCode, let stdout, let stderr):
            if isCurrent { phase = .exited(returnCode: returnCode) }
            await shell.terminate()  // background jobs of the exited shell
            return .exited(returnCode: returnCode, stdout: stdout, stderr: stderr)
        case .cancelled:
            if isCurrent { phase = .idle }
            await shell.terminate()
            throw CancellationError()
        }
    }

    /// Kills the current shell's process group and starts a new shell.
    ///
    /// - Throws: `ToolError` when bash cannot be started.
    func restart(context: ToolContext) async throws {
        // reference §6.3: "`restart: true` terminates the old process, starts a new one".
        let old = phase.shell
        phase = .idle
        await old?.terminate()
        if case .idle = phase {
            phase = .running(try start(context: context))
        }
    }

    /// Kills the shell's process group and waits until every process in it is reaped. The next command
    /// starts a new shell.
    func shutdown() async {
        let old = phase.shell
        phase = .idle
        await old?.terminate()
    }

    private func start(context: ToolContext) throws -> ShellProcess {
        let directory = context.workingDirectory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ToolError("cannot create the working directory \(directory): \(error.localizedDescription)")
        }
        let environment = BashEnvironment.make(
            inherited: ProcessInfo.processInfo.environment,
            scrubbing: configuration.scrubbedEnvironmentNames,
            adding: context.environment
        )
        do {
            return try ShellProcess(workingDirectory: directory, environment: environment, limits: configuration.limits)
        } catch {
            throw ToolError("cannot start bash: \(error)")
        }
    }
}
