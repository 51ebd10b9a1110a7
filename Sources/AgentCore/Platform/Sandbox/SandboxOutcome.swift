/// Everything one sandboxed call produced: how it ended, what it printed, and how long it took.
public struct SandboxOutcome: Sendable, Equatable {
    /// How the call ended.
    public var result: SandboxResult
    /// What the code wrote to stdout, at most `SandboxLimits.outputBytes` (invalid UTF-8 replaced).
    public var stdout: String
    /// What the code wrote to stderr, at most `SandboxLimits.outputBytes`.
    public var stderr: String
    /// Whether stdout went over the cap and the rest was dropped.
    public var stdoutTruncated: Bool
    /// Whether stderr went over the cap and the rest was dropped.
    public var stderrTruncated: Bool
    /// From spawning the sandbox to the moment the harness was about to call the function (the module
    /// imported); `nil` when it never got that far.
    public var handleCalledAfter: Duration?
    /// From spawning the sandbox until its last process was gone.
    public var duration: Duration
    /// The isolation the call ran under.
    public var isolation: SandboxIsolation

    /// An outcome; normally made by `Sandbox.run`.
    public init(
        result: SandboxResult, stdout: String = "", stderr: String = "", stdoutTruncated: Bool = false,
        stderrTruncated: Bool = false, handleCalledAfter: Duration? = nil, duration: Duration = .zero,
        isolation: SandboxIsolation
    ) {
        self.result = result
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.handleCalledAfter = handleCalledAfter
        self.duration = duration
        self.isolation = isolation
    }
}
