/// Resource limits for one sandboxed run: a wall-clock timeout enforced by agentd, and rlimits that
/// hold from before the agent's module is imported.
///
/// ```swift
/// var limits = SandboxLimits()          // 30 s, 512 MiB, 64 processes, 1 MiB of output per stream
/// limits.timeout = .seconds(5)
/// let outcome = await sandbox.run(program, payload: ["q": "hi"], limits: limits)
/// ```
public struct SandboxLimits: Sendable, Equatable {
    /// Wall-clock time from spawn until the run is killed and reported as timed out.
    public var timeout: Duration
    /// `RLIMIT_CPU` in seconds: the harness turns the soft limit into an exception, the hard limit
    /// (one second later) is `SIGKILL`.
    public var cpuSeconds: Int
    /// `RLIMIT_AS`: address space in bytes. Allocations beyond it raise `MemoryError`.
    public var memoryBytes: Int
    /// `RLIMIT_FSIZE`: the largest file the code may write, in bytes.
    public var fileSizeBytes: Int
    /// `RLIMIT_NPROC`: processes and threads of the sandbox's user id, the interpreter included.
    public var processes: Int
    /// `RLIMIT_NOFILE`: open descriptors per process.
    public var openFiles: Int
    /// The most bytes kept of each of stdout and stderr; the rest is read and dropped, and the
    /// outcome says the stream was truncated.
    public var outputBytes: Int
    /// The largest JSON return value accepted, in bytes; a larger one is reported as raised.
    public var resultBytes: Int

    /// Limits with the defaults for an execution: 30 s, 30 s of CPU, 512 MiB of address space, 64 MiB
    /// files, 64 processes, 256 descriptors, 1 MiB per output stream, 16 MiB of result.
    public init(
        timeout: Duration = .seconds(30),
        cpuSeconds: Int = 30,
        memoryBytes: Int = 512 << 20,
        fileSizeBytes: Int = 64 << 20,
        processes: Int = 64,
        openFiles: Int = 256,
        outputBytes: Int = 1 << 20,
        resultBytes: Int = 16 << 20
    ) {
        self.timeout = timeout
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.fileSizeBytes = fileSizeBytes
        self.processes = processes
        self.openFiles = openFiles
        self.outputBytes = outputBytes
        self.resultBytes = resultBytes
    }

    /// Roomier limits for a build (`python -m venv` and `pip install`): 10 minutes, 2 GiB, 512 MiB
    /// files, 256 processes, 1,024 descriptors.
    public static var build: SandboxLimits {
        SandboxLimits(
            timeout: .seconds(600), cpuSeconds: 600, memoryBytes: 2 << 30, fileSizeBytes: 512 << 20,
            processes: 256, openFiles: 1024
        )
    }
}
