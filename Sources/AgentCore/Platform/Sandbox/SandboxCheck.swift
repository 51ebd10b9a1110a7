/// What a build's entrypoint check found, from importing the module inside the sandbox.
///
/// ```swift
/// let check = await sandbox.check(program, limits: SandboxLimits(timeout: .seconds(60)))
/// if case .failed(let reason) = check.status { build.fail(reason, log: check.traceback) }
/// ```
public struct SandboxCheck: Sendable, Equatable {
    /// The verdict.
    public enum Status: Sendable, Equatable {
        /// The module imported and the attribute is callable.
        case callable
        /// The import raised, the attribute is missing or not callable, or the check timed out,
        /// crashed or could not start; the text says which (`Type: message` for an exception).
        case failed(String)
    }

    /// The verdict.
    public var status: Status
    /// Python's traceback when the import raised; empty otherwise.
    public var traceback: String
    /// What the import printed to stdout (capped like a run's).
    public var stdout: String
    /// What the import printed to stderr (capped like a run's).
    public var stderr: String
    /// From spawn until the sandbox was gone.
    public var duration: Duration

    /// Whether the entrypoint is callable.
    public var isCallable: Bool { status == .callable }

    /// A check result; normally made by `Sandbox.check`.
    public init(status: Status, traceback: String = "", stdout: String = "", stderr: String = "", duration: Duration = .zero) {
        self.status = status
        self.traceback = traceback
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
    }
}
