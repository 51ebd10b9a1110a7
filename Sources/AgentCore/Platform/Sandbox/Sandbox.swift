#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs user-uploaded Python agents contained, never in agentd's process.
///
/// Each call is a fresh interpreter in a child process, in its own session, under the chosen
/// ``SandboxIsolation``: new PID, mount, network, IPC and UTS namespaces whose root holds only the
/// system's programs and libraries, the interpreter, the version's code and virtual environment
/// (read-only) and a private working directory (`/tmp`, also `HOME`). The child runs as a throw-away
/// user id with no capabilities, an environment of a few fixed variables, and rlimits (CPU, address
/// space, file size, processes, descriptors) set before the agent's module is imported. The
/// function's value comes back on a dedicated descriptor, so nothing printed can forge it. When the
/// run ends (returned, raised, timed out, cancelled) the namespace's PID 1 is killed, which ends
/// every process the code made, and the working directory is removed.
///
/// ```swift
/// let sandbox = Sandbox(scratchRoot: "/var/lib/agentd/storage/scratch")
/// print("isolation: \(sandbox.isolation)")                       // for /health
/// let program = SandboxProgram(codeDirectory: code, entrypoint: "agent.main:handle")
/// let outcome = await sandbox.run(program, payload: ["input": "hi"], limits: SandboxLimits())
/// if case .returned(let value) = outcome.result { … }
/// ```
public final class Sandbox: Sendable {
    /// The isolation every run of this sandbox uses.
    public let isolation: SandboxIsolation
    /// Where the private working directories are made (created 0700), one per run.
    public let scratchRoot: String
    /// The interpreter command (`python3` unless given); resolved to the real binary once.
    public let python: String

    /// Where the sandbox sees the version's folders (`bubblewrap` and `namespaces`).
    static let insideCode = "/agent/code"
    static let insideVenv = "/agent/venv"
    static let insideWheels = "/agent/wheels"
    static let insideWork = "/tmp"

    /// Makes a sandbox; nothing is started until the first call.
    ///
    /// - Parameters:
    ///   - isolation: `.detect()` (the best this machine offers) unless a test or an operator says
    ///     otherwise. `.none` runs agent code uncontained.
    ///   - python: The interpreter command or path; `python3` from `PATH` when `nil`. A launcher (pyenv's
    ///     shim) is resolved once to the real binary, whose installation prefix is mounted read-only.
    ///   - scratchRoot: The directory for the runs' private working directories.
    public init(isolation: SandboxIsolation = .detect(), python: String? = nil, scratchRoot: String) {
        self.isolation = isolation
        self.python = python ?? "python3"
        self.scratchRoot = scratchRoot
    }

    // MARK: - Entry points

    /// Calls the program's entrypoint with `payload` in a fresh sandbox.
    ///
    /// Cancelling the calling task kills the run and every process it made (within 2 s) and returns
    /// `.cancelled`. A program that fails ``SandboxProgram/problem`` is refused without spawning.
    ///
    /// - Returns: How the call ended, what it printed, and its timing (`handleCalledAfter` is the
    ///   start-up cost: spawn to the moment the function is called).
    public func run(_ program: SandboxProgram, payload: JSONValue, limits: SandboxLimits) async -> SandboxOutcome {
        if let problem = program.problem { return SandboxOutcome(result: .rejected(problem), isolation: isolation) }
        let job = Job(mode: "run", entrypoint: program.entrypoint, code: program.codeDirectory,
                      venv: program.virtualEnvironment, input: payload.serializedBytes(), limits: limits)
        let transcript: SandboxTranscript
        switch await execute(job) {
        case .failure(let failure): return SandboxOutcome(result: .rejected(failure.description), isolation: isolation)
        case .success(let value): transcript = value
        }
        let result: SandboxResult
        if transcript.ending == .cancelled {
            result = .cancelled
        } else if transcript.ending == .timedOut {
            result = .timedOut
        } else if let returned = transcript.event("returned") {
            result = .returned(returned["value"] ?? .null)
        } else if let raised = transcript.event("raised") {
            result = .raised(message: raised["message"]?.stringValue ?? "", traceback: raised["traceback"]?.stringValue ?? "")
        } else if transcript.channelOverflow {
            result = .raised(message: "the return value is larger than the limit of \(limits.resultBytes) bytes", traceback: "")
        } else {
            result = .crashed(transcript.exitDescription)
        }
        return SandboxOutcome(
            result: result, stdout: String(decoding: transcript.stdout, as: UTF8.self),
            stderr: String(decoding: transcript.stderr, as: UTF8.self), stdoutTruncated: transcript.stdoutTruncated,
            stderrTruncated: transcript.stderrTruncated, handleCalledAfter: transcript.handleCalledAfter,
            duration: transcript.duration, isolation: isolation
        )
    }

    /// Imports the program's module inside a sandbox and checks that the entrypoint exists and is
    /// callable (a build's last step). Nothing of the agent's is imported in agentd's process.
    ///
    /// - Returns: `.callable`, or `.failed` with the exception (`traceback` holds Python's traceback),
    ///   the missing attribute, the non-callable's type, a timeout or a crash; plus what the import
    ///   printed.
    public func check(_ program: SandboxProgram, limits: SandboxLimits) async -> SandboxCheck {
        if let problem = program.problem { return SandboxCheck(status: .failed(problem)) }
        let job = Job(mode: "check", entrypoint: program.entrypoint, code: program.codeDirectory,
                      venv: program.virtualEnvironment, input: [], limits: limits)
        let transcript: SandboxTranscript
        switch await execute(job) {
        case .failure(let failure): return SandboxCheck(status: .failed(failure.description))
        case .success(let value): transcript = value
        }
        var traceback = ""
        let status: SandboxCheck.Status
        switch transcript.ending {
        case .cancelled:
            status = .failed("the check was cancelled")
        case .timedOut:
            status = .failed("importing \(program.entrypoint) timed out after \(limits.timeout)")
        case .exited:
            if transcript.event("callable") != nil {
                status = .callable
            } else if let failed = transcript.event("failed") {
                status = .failed(failed["message"]?.stringValue ?? "the check failed")
                traceback = failed["traceback"]?.stringValue ?? ""
            } else {
                status = .failed("the check ended without an answer: \(transcript.exitDescription)")
            }
        }
        return SandboxCheck(status: status, traceback: traceback, stdout: String(decoding: transcript.stdout, as: UTF8.self),
                            stderr: String(decoding: transcript.stderr, as: UTF8.self), duration: transcript.duration)
    }

    /// Builds the version's virtual environment: `python -m venv` into `virtualEnvironment` (emptied
    /// first), then `pip install --no-input -r requirements.txt` from the code directory.
    ///
    /// This is the only step that may use the network, and only when `wheelDirectory` is `nil`: with
    /// one, pip runs with `--no-index --find-links` and the sandbox has no network either. Otherwise
    /// it is contained like a run (no view of agentd's files, scrubbed environment, rlimits,
    /// `limits.timeout`). A code directory without `requirements.txt` needs nothing: that succeeds
    /// without making an environment.
    ///
    /// - Returns: Whether pip succeeded, and the build log (the commands and their output, capped at
    ///   `limits.outputBytes`).
    public func installRequirements(codeDirectory: String, virtualEnvironment: String, wheelDirectory: String?,
                                    limits: SandboxLimits) async -> (succeeded: Bool, log: String) {
        guard codeDirectory.hasPrefix("/"), SandboxWorkspace.isDirectory(codeDirectory) else {
            return (false, "the code directory \(codeDirectory) does not exist\n")
        }
        guard access(codeDirectory + "/requirements.txt", F_OK) == 0 else {
            return (true, "no requirements.txt: nothing to install\n")
        }
        if let wheelDirectory, !(wheelDirectory.hasPrefix("/") && SandboxWorkspace.isDirectory(wheelDirectory)) {
            return (false, "the wheel directory \(wheelDirectory) does not exist\n")
        }
        guard virtualEnvironment.hasPrefix("/") else { return (false, "the virtual environment path must be absolute\n") }
        SandboxWorkspace.remove(virtualEnvironment)
        guard SandboxWorkspace.makeDirectories(virtualEnvironment, mode: 0o755) else {
            return (false, "cannot create the virtual environment directory \(virtualEnvironment)\n")
        }
        let contained = isolation.isContained
        var pip = ["install", "--no-input", "--disable-pip-version-check", "--no-cache-dir", "--progress-bar", "off",
                   "-r", (contained ? Self.insideCode : codeDirectory) + "/requirements.txt"]
        if let wheelDirectory { pip += ["--no-index", "--find-links", contained ? Self.insideWheels : wheelDirectory] }
        let job = Job(mode: "install", entrypoint: "-", code: codeDirectory, venv: virtualEnvironment, input: [],
                      limits: limits, extraArguments: pip, venvWritable: true, network: wheelDirectory == nil,
                      wheels: wheelDirectory)
        let transcript: SandboxTranscript
        switch await execute(job) {
        case .failure(let failure): return (false, failure.description + "\n")
        case .success(let value): transcript = value
        }
        var log = String(decoding: transcript.stdout, as: UTF8.self)
        if transcript.stdoutTruncated { log += "\n[build output truncated at \(limits.outputBytes) bytes]\n" }
        if !transcript.stderr.isEmpty { log += String(decoding: transcript.stderr, as: UTF8.self) }
        if !log.isEmpty && !log.hasSuffix("\n") { log += "\n" }
        switch transcript.ending {
        case .cancelled: return (false, log + "installing the requirements was cancelled\n")
        case .timedOut: return (false, log + "installing the requirements timed out after \(limits.timeout)\n")
        case .exited: break
        }
        if transcript.event("installed") != nil { return (true, log) }
        let reason = transcript.event("failed")?["message"]?.stringValue ?? transcript.exitDescription
        return (false, log + "installing the requirements failed: \(reason)\n")
    }

    // MARK: - One interpreter run

    /// What to run: a harness mode and where its inputs are on the host.
    struct Job: Sendable {
        var mode: String
        var entrypoint: String
        var code: String
        var venv: String?
        var input: [UInt8]
        var limits: SandboxLimits
        var extraArguments: [String] = []
        var venvWritable = false
        var network = false
        var wheels: String?
    }

    /// Runs `job` on a dedicated thread (never the cooperative pool: it blocks in `poll`), passing
    /// the calling task's cancellation on to it.
    func execute(_ job: Job) async -> Result<SandboxTranscript, SandboxFailure> {
        let cancellation = SandboxCancellation()
        defer { cancellation.finish() }
        return await withTaskCancellationHandler {
            await DedicatedThread.run(name: "sandbox-\(job.mode)") { [self] in
                Result { () throws(SandboxFailure) -> SandboxTranscript in try execute(job, cancellation: cancellation) }
            }
        } onCancel: {
            cancellation.fire()
        }
    }

    private func execute(_ job: Job, cancellation: SandboxCancellation) throws(SandboxFailure) -> SandboxTranscript {
        let tools = SandboxTools.shared
        guard tools.supports(isolation) else {
            throw SandboxFailure("the \(isolation.rawValue) isolation is not available on this machine")
        }
        let interpreter = try SandboxInterpreter.resolve(python).get()
        let contained = isolation.isContained
        // A user id of its own (root only): RLIMIT_NPROC then limits this run alone.
        let userID = contained && tools.isRoot ? SandboxUserIDs.acquire() : nil
        defer { if let userID { SandboxUserIDs.release(userID) } }
        let workspace = try SandboxWorkspace.make(under: scratchRoot, owner: userID)
        defer { workspace.remove() }
        if job.venvWritable, let venv = job.venv, let userID { _ = chown(venv, userID, userID) }
        defer {
            // The environment pip built belongs to agentd again (it is mounted read-only for runs).
            if job.venvWritable, let venv = job.venv, userID != nil { SandboxWorkspace.changeOwner(of: venv, to: geteuid(), getegid()) }
        }

        let work = contained ? Self.insideWork : workspace.work
        var mounts = [SandboxMount(kind: .writable, source: workspace.work, target: Self.insideWork),
                      SandboxMount(kind: .readOnly, source: job.code, target: Self.insideCode)]
        if let venv = job.venv {
            mounts.append(SandboxMount(kind: job.venvWritable ? .writable : .readOnly, source: venv, target: Self.insideVenv))
        }
        if let wheels = job.wheels { mounts.append(SandboxMount(kind: .readOnly, source: wheels, target: Self.insideWheels)) }
        let command = SandboxCommand(isolation: isolation, tools: tools, interpreterPrefix: interpreter.prefix, mounts: mounts,
                                     network: job.network, userID: userID, workDirectory: work, workspaceRoot: workspace.root)
        if isolation == .namespaces { try command.prepareRoot() }
        let limits = job.limits
        // -I: no environment variables, user site or script directory on sys.path; -S: not even the
        // interpreter's own site-packages (the harness adds the venv's); -B: no .pyc into the code.
        let harness = [
            interpreter.executable, "-I", "-S", "-B", "-u", "-X", "utf8", "-c", SandboxHarness.source,
            job.mode, job.entrypoint,
            contained ? Self.insideCode : job.code,
            job.venv.map { contained ? Self.insideVenv : $0 } ?? "",
            work,
            String(limits.cpuSeconds), String(limits.memoryBytes), String(limits.fileSizeBytes),
            // RLIMIT_NPROC counts every process of the user id: only meaningful with one of our own.
            String(userID != nil ? limits.processes : -1), String(limits.openFiles),
        ] + job.extraArguments
        var extra: [String] = []
        if job.mode == "install" { extra = ["PIP_NO_CACHE_DIR=1", "PIP_CONFIG_FILE=/dev/null", "PIP_NO_INPUT=1"] }
        return try SandboxSupervisor.run(
            arguments: command.arguments(running: harness), environment: SandboxTools.environment(home: work, extra: extra),
            input: job.input, limits: limits, isolation: isolation, cancellation: cancellation
        )
    }
}
